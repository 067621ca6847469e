import { Module, type DynamicModule } from '@nestjs/common';
import { OUTBOX_CQRS_OPTIONS, OutboxEventBridge } from './OutboxEventBridge.js';
import type { OutboxCqrsModuleOptions } from './OutboxCqrsModuleOptions.js';

/**
 * `@nestjs/cqrs` through the outbox: import it beside `CqrsModule.forRoot()` (and `OutboxModule` in a
 * producing app). Events whose class has `@OutboxEvent` are written to the outbox in the current
 * transaction instead of being handled in memory; `OutboxEventBridge` merges aggregates and dispatches
 * received messages onto the local EventBus.
 *
 * @example
 * ```ts
 * @Module({ imports: [CqrsModule.forRoot(), OutboxModule.forRoot({}), OutboxCqrsModule.forRoot()] })
 * export class AppModule {}
 * ```
 */
@Module({})
export class OutboxCqrsModule {
  static forRoot(options: OutboxCqrsModuleOptions = {}): DynamicModule {
    return {
      module: OutboxCqrsModule,
      global: true,
      providers: [{ provide: OUTBOX_CQRS_OPTIONS, useValue: options }, OutboxEventBridge],
      exports: [OutboxEventBridge],
    };
  }
}
