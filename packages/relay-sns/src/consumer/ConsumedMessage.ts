import type { Message } from '@aws-sdk/client-sqs';

/** A received outbox message, decoded the same way whether SNS delivered it raw or in its JSON envelope. */
export interface ConsumedMessage {
  /** The outbox message id (attribute `outbox-message-id`): deduplicate on this, never on the SQS MessageId. */
  id: string;
  /** The message subject (attribute `subject`); empty if the producer did not set one. */
  subject: string;
  /** The parsed JSON body, as passed to `sendEvent({ body })`. */
  body: unknown;
  /**
   * The user's headers: every String/Number message attribute except `outbox-message-id`, `subject`,
   * `traceparent` and `tracestate`.
   */
  headers: Record<string, string>;
  /**
   * The W3C trace context (`traceparent`, `tracestate`) the publisher captured at `sendEvent`; `{}` when
   * there was none. `SqsConsumer` already runs the handler in a span of that trace.
   */
  traceContext: Record<string, string>;
  /** How many times SQS has delivered this message, this delivery included (`ApproximateReceiveCount`). */
  receiveCount: number;
  /** The SQS message as received. */
  raw: Message;
}
