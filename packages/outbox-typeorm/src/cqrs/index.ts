// Entry point `@tx-outbox/outbox-typeorm/cqrs`: @nestjs/cqrs events through the outbox. It imports
// @nestjs/common, @nestjs/core and @nestjs/cqrs (optional peers of this entry only).
export { OutboxCqrsModule } from './OutboxCqrsModule.js';
export type { OutboxCqrsModuleOptions } from './OutboxCqrsModuleOptions.js';
export { OutboxEventBridge, OUTBOX_CQRS_OPTIONS } from './OutboxEventBridge.js';
export type { OutboxAggregate } from './OutboxEventBridge.js';
export { OutboxEvent, outboxEventMappingOf, outboxEventMappingFor } from './OutboxEvent.js';
export type { OutboxEventOptions, OutboxEventMapping } from './OutboxEvent.js';
export { OutboxEventPublisher, messageFromDecorator } from './OutboxEventPublisher.js';
export type { EventToMessage, EventOutbox } from './OutboxEventPublisher.js';
