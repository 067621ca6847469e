// Entry point `@tx-outbox/relay-sns/nest`: the relay and the consumer as Nest modules. It imports
// @nestjs/common and @nestjs/core (optional peers of this entry only: the package root and the
// outbox-relay sidecar import without them). It lives here, not in outbox-typeorm/nest, because it
// needs the SNS/SQS transports and SqsConsumer, and relay-sns already depends on outbox-typeorm.
export { OutboxRelayModule } from './OutboxRelayModule.js';
export type { OutboxRelayModuleOptions } from './OutboxRelayModuleOptions.js';
export { OutboxRelayService } from './OutboxRelayService.js';
export { OutboxRelayHealthIndicator } from './OutboxRelayHealthIndicator.js';
export type { OutboxHealthResult } from './OutboxRelayHealthIndicator.js';
export { createRelayFromOptions } from './createRelayFromOptions.js';
export { OutboxConsumerModule } from './OutboxConsumerModule.js';
export type { OutboxConsumerModuleOptions, UnknownSubjectPolicy } from './OutboxConsumerModuleOptions.js';
export { OutboxConsumer } from './OutboxConsumer.js';
export type { OutboxConsumerCounts } from './OutboxConsumer.js';
export { OnOutboxMessage, typedOnOutboxMessage } from './OnOutboxMessage.js';
export type { TypedOutboxHandlerDecorator } from './OnOutboxMessage.js';
export { UnhandledSubjectError } from './UnhandledSubjectError.js';
export { OutboxHandlerConflictError } from './OutboxHandlerConflictError.js';
export { OUTBOX_RELAY_OPTIONS, OUTBOX_CONSUMER_OPTIONS } from './tokens.js';
export { OutboxConsoleModule } from '../console/nest/OutboxConsoleModule.js';
export type { OutboxConsoleModuleOptions } from '../console/nest/OutboxConsoleModuleOptions.js';
