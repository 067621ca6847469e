import { ConfigurableModuleBuilder, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxConsumer } from './OutboxConsumer.js';
import type { OutboxConsumerModuleOptions } from './OutboxConsumerModuleOptions.js';
import { OUTBOX_CONSUMER_OPTIONS } from './tokens.js';

const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<OutboxConsumerModuleOptions>({ moduleName: 'OutboxConsumer', optionsInjectionToken: OUTBOX_CONSUMER_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras({ global: false }, (definition: DynamicModule, extras) => ({ ...definition, global: extras.global }))
  .build();

/**
 * Consumes outbox messages in a Nest app: handlers are provider methods marked `@OnOutboxMessage(pattern)`,
 * found at bootstrap, each run through the inbox (in its transaction with `TransactionalInboxStore`).
 * Provides {@link OutboxConsumer} (counts, and the underlying `SqsConsumer`).
 *
 * @example
 * ```ts
 * OutboxConsumerModule.forRootAsync({
 *   inject: [ConfigService, DataSource],
 *   useFactory: (config: ConfigService, dataSource: DataSource) => ({
 *     queueUrl: config.getOrThrow('QUEUE_URL'),
 *     consumer: 'notifications',
 *     inbox: new TransactionalInboxStore({ dataSource }),
 *   }),
 * })
 * ```
 */
@Module({ imports: [DiscoveryModule], providers: [OutboxConsumer], exports: [OutboxConsumer] })
export class OutboxConsumerModule extends ConfigurableModuleClass {}
