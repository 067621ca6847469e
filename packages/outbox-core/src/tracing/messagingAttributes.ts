/**
 * Span attribute names from OpenTelemetry's messaging semantic conventions (v1.27+), and the values
 * the outbox uses. Kept as plain strings: the semantic-conventions package is not needed for six names.
 */
export const MESSAGING = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destinationName: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  batchMessageCount: 'messaging.batch.message_count',
  consumerGroupName: 'messaging.consumer.group.name',
} as const;

/** `messaging.system` of the outbox's own "create" span: the message exists only in the outbox table yet. */
export const OUTBOX_MESSAGING_SYSTEM = 'tx_outbox';

/** Name of the tracer the outbox's spans are recorded with. */
export const TRACER_NAME = '@tx-outbox';
