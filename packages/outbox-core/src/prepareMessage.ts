import { InvalidMessageError, MessageTooLargeError, TooManyHeadersError } from './errors.js';
import { DEFAULT_MAX_MESSAGE_BYTES, OUTBOX_ID_ATTRIBUTE, SUBJECT_ATTRIBUTE, messageSize } from './messageSize.js';
import { jsonbTextLength } from './jsonbTextLength.js';
import { newMessageId } from './newMessageId.js';
import type { OutboxMessageInput } from './OutboxMessage.js';
import { serializeBody } from './serializeBody.js';
import { captureTraceContext } from './tracing/captureTraceContext.js';
import { TRACE_HEADERS } from './tracing/traceHeaders.js';

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
export const MAX_KEY_LENGTH = 128;
/** SNS and SQS carry at most 10 message attributes per message. */
export const MAX_MESSAGE_ATTRIBUTES = 10;
/** Header names the outbox sets itself: the outbox id, the subject and the W3C trace context. */
export const RESERVED_HEADERS: readonly string[] = [OUTBOX_ID_ATTRIBUTE, SUBJECT_ATTRIBUTE, ...TRACE_HEADERS];
/**
 * Headers a user may add: 10 attributes less the four the outbox reserves (`outbox-message-id`,
 * `subject`, `traceparent`, `tracestate`), so the trace context always fits.
 */
export const MAX_HEADERS = MAX_MESSAGE_ATTRIBUTES - RESERVED_HEADERS.length;

/**
 * Validates one `sendEvent` input and turns it into a row to insert. Everything a broker would
 * refuse later is refused here, before anything is written, so a bad message fails the caller's
 * transaction instead of dead-lettering after commit.
 *
 * @throws InvalidMessageError (or its subclasses NonSerializableBodyError, MessageTooLargeError)
 */
export function prepareMessage(input: OutboxMessageInput, options: PrepareMessageOptions = {}): PreparedMessage {
  if (input === null || typeof input !== 'object') {
    throw new InvalidMessageError('message', `sendEvent expects an object { subject, body, ... }, got ${typeof input}.`);
  }
  const { subject } = input;
  if (typeof subject !== 'string' || subject.trim() === '') {
    throw new InvalidMessageError('subject', 'Message subject must be a non-empty string (e.g. "payment.created").');
  }
  const headers = checkHeaders(input.headers, subject);
  const groupKey = checkKey('groupKey', input.groupKey, subject);
  const dedupId = checkKey('dedupId', input.dedupId, subject);
  const delayMs = input.delayMs ?? 0;
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
    throw new InvalidMessageError('delayMs', `delayMs must be a finite number >= 0, got ${String(delayMs)}.`, { subject });
  }
  const payload = serializeBody(input.body, subject);
  const limit = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const id = newMessageId();
  // The active trace's context travels in the headers, under the reserved W3C names ({} without OpenTelemetry).
  const stored = { ...headers, ...captureTraceContext(id, subject) };
  // Measured as the relay will read it back: the outbox stores jsonb, whose text has a space after
  // each `:` and `,`. Checking the compact text would let a body near the limit commit and then
  // dead-letter as too large.
  const size = messageSize({ subject, payload, headers: stored }, jsonbTextLength(payload));
  if (size > limit) throw new MessageTooLargeError(size, limit, { subject });
  return { id, subject, payload, headers: stored, groupKey, dedupId, delayMs: Math.round(delayMs) };
}

function checkKey(field: 'groupKey' | 'dedupId', value: unknown, subject: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_KEY_LENGTH) {
    throw new InvalidMessageError(
      field,
      `${field} must be a string of 1 to ${MAX_KEY_LENGTH} characters (the SNS/SQS limit), got ` +
        (typeof value === 'string' ? `${value.length} characters` : typeof value) + '.',
      { subject },
    );
  }
  return value;
}

function checkHeaders(value: unknown, subject: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidMessageError('headers', 'headers must be an object of string values.', { subject });
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) throw new TooManyHeadersError(entries.length, MAX_HEADERS, { subject });
  for (const [name, v] of entries) {
    if (typeof v !== 'string') {
      throw new InvalidMessageError('headers', `Header "${name}" must be a string, got ${typeof v}. Convert it with String().`, { subject });
    }
    if (RESERVED_HEADERS.includes(name)) {
      throw new InvalidMessageError('headers', `Header name "${name}" is reserved: the outbox sets it on every message.`, { subject });
    }
    if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || /^(aws|amazon)\./i.test(name)) {
      throw new InvalidMessageError(
        'headers',
        `Header name "${name}" is not a valid message attribute name: use up to 256 letters, digits, _, - and ., ` +
          'not starting or ending with ".", and not starting with "AWS." or "Amazon.".',
        { subject },
      );
    }
  }
  return value as Record<string, string>;
}
