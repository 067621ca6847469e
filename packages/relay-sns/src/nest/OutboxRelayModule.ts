import { ConfigurableModuleBuilder, Module, type DynamicModule } from '@nestjs/common';
import { OutboxRelayHealthIndicator } from './OutboxRelayHealthIndicator.js';
import type { OutboxRelayModuleOptions } from './OutboxRelayModuleOptions.js';
import { OutboxRelayService } from './OutboxRelayService.js';
import { OUTBOX_RELAY_OPTIONS } from './tokens.js';

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<OutboxRelayModuleOptions>({ moduleName: 'OutboxRelay', optionsInjectionToken: OUTBOX_RELAY_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras({ global: false }, (definition: DynamicModule, extras) => ({ ...definition, global: extras.global }))
  .build();

/**
 * Runs the relay inside the Nest app, as an alternative to the `outbox-relay` sidecar: it starts when
 * the app has bootstrapped and, on `app.close()` (or a signal, with `app.enableShutdownHooks()`), stops
 * claiming, finishes and marks the batches in flight, and only then lets the app close its DataSource.
 * Provides {@link OutboxRelayService} (the `Relay`) and {@link OutboxRelayHealthIndicator} (Terminus).
 *
 * @example
 * ```ts
 * OutboxRelayModule.forRootAsync({
 *   inject: [ConfigService, DataSource],
 *   useFactory: (config: ConfigService, dataSource: DataSource) => ({ dataSource, routes: config.getOrThrow('OUTBOX_ROUTES') }),
 * })
 * ```
 */
@Module({ providers: [OutboxRelayService, OutboxRelayHealthIndicator], exports: [OutboxRelayService, OutboxRelayHealthIndicator] })
export class OutboxRelayModule extends ConfigurableModuleClass {}
