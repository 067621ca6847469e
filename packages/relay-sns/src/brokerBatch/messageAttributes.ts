import { InvalidMessageError, OUTBOX_ID_ATTRIBUTE } from '@tx-outbox/outbox-core';
import { CLAIM_CHECK_SIZE_ATTRIBUTES, MAX_MESSAGE_ATTRIBUTES, SUBJECT_ATTRIBUTE, TooManyAttributesError } from '@tx-outbox/outbox-core/internal';
import type { OutboxMessage } from '@tx-outbox/outbox-core';

/** SNS and SQS both refuse (SQS) or drop on delivery (SNS → SQS) more than 10 message attributes. */
export { MAX_MESSAGE_ATTRIBUTES };

/**
 * A message attribute with a string value, structurally valid for both the SNS and the SQS client:
 * `String` (headers, the outbox's own), or `Number` (the size a claim-checked message carries).
 */
export interface StringAttribute {
  DataType: 'String' | 'Number';
  StringValue: string;
}

/**
 * The message attributes of a published message: its stored headers (the user's, plus `traceparent` and
 * `tracestate` when the publisher captured a trace) and `outbox-message-id` and `subject`. Consumers
 * read the outbox id from here to deduplicate.
 *
 * @throws TooManyAttributesError over {@link MAX_MESSAGE_ATTRIBUTES}; InvalidMessageError when a
 * header uses a reserved name. Both are permanent: the message is refused, never sent with an
 * attribute missing.
 */
export function messageAttributes(message: Pick<OutboxMessage, 'id' | 'subject' | 'headers'>): Record<string, StringAttribute> {
  const headers = Object.entries(message.headers ?? {});
  const count = headers.length + 2;
  if (count > MAX_MESSAGE_ATTRIBUTES) {
    throw new TooManyAttributesError(count, MAX_MESSAGE_ATTRIBUTES, { subject: message.subject });
  }
  const attributes: Record<string, StringAttribute> = {};
  for (const [name, value] of headers) {
    if (name === OUTBOX_ID_ATTRIBUTE || name === SUBJECT_ATTRIBUTE || (CLAIM_CHECK_SIZE_ATTRIBUTES as readonly string[]).includes(name)) {
      throw new InvalidMessageError('headers', `Header name "${name}" is reserved: the relay sets it (on every message, or on a claim-checked one).`, {
        subject: message.subject,
      });
    }
    attributes[name] = { DataType: 'String', StringValue: String(value) };
  }
  attributes[OUTBOX_ID_ATTRIBUTE] = { DataType: 'String', StringValue: message.id };
  attributes[SUBJECT_ATTRIBUTE] = { DataType: 'String', StringValue: message.subject };
  return attributes;
}
