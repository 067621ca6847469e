/** Injection token of `OutboxRelayModule`'s options (what `forRootAsync`'s factory returned). */
export const OUTBOX_RELAY_OPTIONS = Symbol('tx-outbox:relay-options');
/** Injection token of `OutboxConsumerModule`'s options. */
export const OUTBOX_CONSUMER_OPTIONS = Symbol('tx-outbox:consumer-options');
/** Metadata key of `@OnOutboxMessage` on a provider method. */
export const OUTBOX_HANDLER_PATTERNS = 'tx-outbox:handler-patterns';
