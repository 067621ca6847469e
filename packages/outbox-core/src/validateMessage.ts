import { InvalidMessageError, MessageTooLargeError, TooManyAttributesError } from './errors.js';
import { DEFAULT_MAX_MESSAGE_BYTES, messageSize } from './messageSize.js';
import { jsonbTextLength } from './jsonbTextLength.js';
import type { OutboxMessageInput } from './OutboxMessage.js';
import { serializeBody } from './serializeBody.js';
import { checkBodyCharacters } from './validation/checkBodyCharacters.js';
import { checkDelay } from './validation/checkDelay.js';
import { checkFifoId } from './validation/checkFifoId.js';
import { checkHeaders, MAX_MESSAGE_ATTRIBUTES } from './validation/checkHeaders.js';
import { checkSubject } from './validation/checkSubject.js';

/** A number's exponent outside or inside a string: jsonb prints the number in full (1e+21 as 22 digits). */
const EXPONENT = /[0-9][eE]/;

/** A message that passed every `sendEvent` rule: its row, less the id and trace context {@link stampMessages} adds. */
export interface ValidatedMessage {
  subject: string;
  /** JSON text of the body. */
  payload: string;
  /** The caller's headers (no trace context yet). */
  headers: Record<string, string>;
  groupKey: string | null;
  dedupId: string | null;
  delayMs: number;
}

/**
 * Applies every `sendEvent` rule to one message; records nothing (no id, no span). The rules live in
 * `validation/`, one file per field. `traceHeaders` are the headers the trace context will add
 * (see traceContextPlaceholder), counted by the size rule.
 * @throws InvalidMessageError or one of its subclasses, each naming the field.
 */
export function validateMessage(
  input: OutboxMessageInput,
  maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
  traceHeaders: Readonly<Record<string, string>> = {},
): ValidatedMessage {
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
  // Measured as the relay will read it back: the outbox stores jsonb, whose text has a space after
  // each `:` and `,`. Checking the compact text would let a body near the limit commit and then
  // dead-letter as too large. A body far below the limit passes on a bound (each UTF-16 unit is at
  // most 3 bytes plus one separator) without the exact count; an exponent can grow, so it is counted.
  const sized = { subject, payload, headers: { ...headers, ...traceHeaders } };
  const bound = payload.length * 4;
  if (EXPONENT.test(payload) || messageSize(sized, bound) > Math.min(maxMessageBytes, DEFAULT_MAX_MESSAGE_BYTES)) {
    const size = messageSize(sized, jsonbTextLength(payload));
    if (size > maxMessageBytes) throw new MessageTooLargeError(size, maxMessageBytes, { subject });
    // Over what AWS carries inline, it can only go through the relay's claim-check, whose pointer
    // takes one more message attribute (ExtendedPayloadSize).
    const attributes = Object.keys(sized.headers).length + 2;
    if (size > DEFAULT_MAX_MESSAGE_BYTES && attributes >= MAX_MESSAGE_ATTRIBUTES) {
      throw new TooManyAttributesError(attributes + 1, MAX_MESSAGE_ATTRIBUTES, {
        subject,
        hint: `its headers, the outbox id and subject, and the ExtendedPayloadSize a claim-checked message over ${DEFAULT_MAX_MESSAGE_BYTES} bytes carries`,
      });
    }
  }
  return { subject, payload, headers, groupKey, dedupId, delayMs };
}
