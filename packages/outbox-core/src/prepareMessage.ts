import { InvalidMessageError, MessageTooLargeError } from './errors.js';
import { DEFAULT_MAX_MESSAGE_BYTES, messageSize } from './messageSize.js';
import { jsonbTextLength } from './jsonbTextLength.js';
import { newMessageId } from './newMessageId.js';
import type { OutboxMessageInput } from './OutboxMessage.js';
import { serializeBody } from './serializeBody.js';
import { captureTraceContext } from './tracing/captureTraceContext.js';
import { checkBodyCharacters } from './validation/checkBodyCharacters.js';
import { checkDelay } from './validation/checkDelay.js';
import { checkFifoId } from './validation/checkFifoId.js';
import { checkHeaders } from './validation/checkHeaders.js';
import { checkSubject } from './validation/checkSubject.js';
import { MAX_FIFO_ID_LENGTH } from './validation/fifoId.js';

/** A validated message, ready to be inserted as one outbox row. */
export interface PreparedMessage {
  id: string;
  subject: string;
  /** JSON text of the body. */
  payload: string;
  headers: Record<string, string>;
  groupKey: string | null;
  dedupId: string | null;
  delayMs: number;
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
 * transaction instead of dead-lettering after commit. The rules live in `validation/`, one file per
 * field, so every front door (publisher, in-memory store) applies the same ones.
 *
 * @throws InvalidMessageError or one of its subclasses, each naming the field: InvalidSubjectError,
 *   InvalidFifoIdError, InvalidHeaderError, TooManyHeadersError, InvalidDelayError, NonSerializableBodyError,
 *   UnpublishableCharacterError, MessageTooLargeError.
 */
export function prepareMessage(input: OutboxMessageInput, options: PrepareMessageOptions = {}): PreparedMessage {
  if (input === null || typeof input !== 'object') {
    throw new InvalidMessageError('message', `sendEvent expects an object { subject, body, ... }, got ${typeof input}.`);
  }
  const subject = checkSubject(input.subject);
  const headers = checkHeaders(input.headers, subject);
  const groupKey = checkFifoId('groupKey', input.groupKey, subject);
  const dedupId = checkFifoId('dedupId', input.dedupId, subject);
  const delayMs = checkDelay(input.delayMs, subject);
  const payload = serializeBody(input.body, subject);
  checkBodyCharacters(payload, subject);
  const limit = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const id = newMessageId();
  // The active trace's context travels in the headers, under the reserved W3C names ({} without OpenTelemetry).
  const stored = { ...headers, ...captureTraceContext(id, subject) };
  // Measured as the relay will read it back: the outbox stores jsonb, whose text has a space after
  // each `:` and `,`. Checking the compact text would let a body near the limit commit and then
  // dead-letter as too large.
  const size = messageSize({ subject, payload, headers: stored }, jsonbTextLength(payload));
  if (size > limit) throw new MessageTooLargeError(size, limit, { subject });
  return { id, subject, payload, headers: stored, groupKey, dedupId, delayMs };
}
