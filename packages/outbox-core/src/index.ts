// Entry point `@tx-outbox/outbox-core`: what a user writes an import for. Named exports only, so every
// public name is chosen here; what only the sibling packages need is in `./internal.ts`.
export {
  OutboxError,
  OutboxNotInTransactionError,
  InvalidMessageError,
  InvalidSubjectError,
  InvalidFifoIdError,
  InvalidHeaderError,
  InvalidDelayError,
  UnpublishableCharacterError,
  NonSerializableBodyError,
  MessageTooLargeError,
  InvalidOptionError,
  InvalidIdentifierError,
  PayloadMismatchError,
  MessageInProgressError,
  TooManyHeadersError,
  UndecodableMessageError,
  InboxLeaseLostError,
  TransactionEndedError,
  InvalidEventBodyError,
  UnknownEventSubjectError,
  StoreTimeoutError,
  PublishDeadlineError,
} from './errors.js';
export type { EventBodyIssue } from './errors.js';
export type { OutboxMessage, OutboxMessageInput } from './OutboxMessage.js';
export { OUTBOX_ID_ATTRIBUTE } from './messageSize.js';
export type { OutboxStore, ClaimOptions, RetryMark, DeadMark, OutboxStats, WakeUpMonitor, ReleaseOptions, WritableCheck } from './OutboxStore.js';
export type { Transport, PublishResult, PublishOptions, BlockedScope, TransportContext, RouteBlock } from './Transport.js';
export type { InboxStore, InboxBeginOptions, InboxBeginResult, InboxRunOnceOptions, InboxRunOnceResult, InboxRotation } from './InboxStore.js';
export type { InboxKey, InboxLease } from './InboxStore.js';
export { handleOnce } from './inbox/handleOnce.js';
export { HANDLE_ONCE_DEFAULTS } from './inbox/HandleOnceOptions.js';
export type { HandleOnceOptions } from './inbox/HandleOnceOptions.js';
export type { HandleOnceResult } from './inbox/HandleOnceResult.js';
export { InMemoryInboxStore } from './inbox/InMemoryInboxStore.js';
export type { InMemoryInboxStoreOptions } from './inbox/InMemoryInboxStore.js';
export { InboxRetention } from './inbox/InboxRetention.js';
export type { InboxRetentionOptions } from './inbox/InboxRetention.js';
export { Relay } from './relay/Relay.js';
export type { RelayRunCounts } from './relay/RelayRunCounts.js';
export type { BlockedRoute } from './relay/RouteGate.js';
export type { RelayOptions, ResolvedRelayOptions } from './relay/RelayOptions.js';
export type { RetryPolicy } from './relay/RetryPolicy.js';
export type { RelayEvents, RelayErrorStage } from './relay/RelayEvents.js';
export type { RelayLogger } from './relay/RelayLogger.js';
export { publishInBrokerBatches } from './relay/publishInBrokerBatches.js';
export type { PublishInBrokerBatchesOptions, RefusedResult } from './relay/publishInBrokerBatches.js';
export { pinoRelayLogger } from './logging/pinoRelayLogger.js';
export type { PinoLike } from './logging/pinoRelayLogger.js';
export { nestRelayLogger } from './logging/nestRelayLogger.js';
export type { NestLoggerLike } from './logging/nestRelayLogger.js';
export type { StandardSchemaV1 } from './contract/StandardSchemaV1.js';
export type { ContractBody, ContractInput, ContractSubject, EventContract, EventContractEntries, EventEntry, TypeOnlyEvent } from './contract/EventContract.js';
export { defineContract, eventType } from './contract/defineContract.js';
