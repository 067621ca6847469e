// Entry point `@tx-outbox/outbox-typeorm/nest`: only Nest users load it. It imports @nestjs/common (an
// optional peer of this entry only: the package root and `/postgres` import without it).
export { OutboxModule, OUTBOX_MODULE_OPTIONS } from './OutboxModule.js';
export type { OutboxModuleOptions, OutboxModuleExtras, OutboxOptions, NestInjectionToken } from './OutboxModuleOptions.js';
