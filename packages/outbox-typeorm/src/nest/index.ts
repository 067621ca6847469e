// Entry point `@tx-outbox/outbox-typeorm/nest`: only Nest users load it. It does not import @nestjs/*.
export { OutboxModule } from './OutboxModule.js';
export type { OutboxModuleOptions, OutboxDynamicModule, NestInjectionToken } from './OutboxModule.js';
