import type { OutboxMessageInput } from './OutboxMessage.js';
import { stampMessages } from './stampMessages.js';
import { MAX_FIFO_ID_LENGTH } from './validation/fifoId.js';
import type { ValidatedMessage } from './validateMessage.js';
import { validateMessages } from './validateMessages.js';

/** A validated message, ready to be inserted as one outbox row: with its id, and trace context in `headers`. */
export interface PreparedMessage extends ValidatedMessage {
  id: string;
}

export interface PrepareMessageOptions {
  /** @defaultValue 262144 (256 KiB, the SNS and SQS limit) */
  maxMessageBytes?: number;
}

/** Longest `groupKey`/`dedupId`: the SNS/SQS limit for MessageGroupId and MessageDeduplicationId. */
export const MAX_KEY_LENGTH = MAX_FIFO_ID_LENGTH;

/**
 * Validates one `sendEvent` input and turns it into a row to insert. Everything a broker would
 * refuse later is refused here, before anything is written, so a bad message fails the caller's
 * transaction instead of dead-lettering after commit. For several messages use {@link prepareMessages}
 * (or validateMessages, then stampMessages), which validates them all before tracing any.
 *
 * @throws InvalidMessageError or one of its subclasses, each naming the field: InvalidSubjectError,
 *   InvalidFifoIdError, InvalidHeaderError, TooManyHeadersError, InvalidDelayError, NonSerializableBodyError,
 *   UnpublishableCharacterError, MessageTooLargeError.
 */
export function prepareMessage(input: OutboxMessageInput, options: PrepareMessageOptions = {}): PreparedMessage {
  return prepareMessages([input], options)[0]!;
}

/**
 * Validates all of a call's messages, then gives each its id and trace context. One bad message
 * refuses them all, before any `create` span is recorded.
 * @throws InvalidMessageError (NonSerializableBodyError, MessageTooLargeError, …)
 */
export function prepareMessages(messages: readonly OutboxMessageInput[], options: PrepareMessageOptions = {}): PreparedMessage[] {
  return stampMessages(validateMessages(messages, options));
}
