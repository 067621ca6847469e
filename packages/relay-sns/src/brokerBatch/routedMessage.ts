import { MessageTooLargeError } from '@tx-outbox/outbox-core';
import type { OutboxMessage, RefusedResult } from '@tx-outbox/outbox-core';
import { PAYLOAD_SIZE_ATTRIBUTE, pointerBody } from '../claimCheck/claimCheckPointer.js';
import type { ClaimCheckWriter } from '../claimCheck/ClaimCheckWriter.js';
import { messageAttributes, type StringAttribute } from './messageAttributes.js';
import type { RouteLimit } from './RouteLimits.js';
import { SizeRefusals } from './SizeRefusals.js';
import { DEFAULT_MAX_MESSAGE_BYTES, MAX_MESSAGE_ATTRIBUTES, TooManyAttributesError, errorText, messageSize } from '@tx-outbox/outbox-core/internal';

/** A message ready for a broker batch of its route: what is published, and what it counts against the limits. */
export interface RoutedMessage {
  message: OutboxMessage;
  target: string;
  limit: RouteLimit;
  /** The body published: the payload JSON text, or (claim-checked) the pointer to it. */
  body: string;
  attributes: Record<string, StringAttribute>;
  /** Bytes it counts against the route's limits (the pointer's, when claim-checked). */
  size: number;
  /** Set when the payload is written to S3 first, under this key. */
  claimCheckKey?: string;
}

/** How a limit was arrived at, for the errors that name it. */
const SOURCES: Record<RouteLimit['source'], string> = {
  target: "its MaximumMessageSize",
  setting: 'maxMessageBytes, OUTBOX_MAX_MESSAGE_BYTES',
  fallback: 'taken as the fallback: its own could not be read',
};

/**
 * Fits one message (of `size` bytes, as `messageSize` counts it) to its route: inline when it fits the
 * route's limit; claim-checked (a pointer, the payload to S3) when `writer` covers the route and the
 * message is over its threshold; else, up to 1 MiB, `blocked` on the route's size route (SizeRefusals),
 * naming the route's limit and what would carry it: the route is too small for it, a configuration state.
 * Over 1 MiB (no route carries it inline), with bad attributes, or with headers alone over the limit, it is
 * `permanent`.
 */
export function routedMessage(message: OutboxMessage, target: string, size: number, limit: RouteLimit, writer: ClaimCheckWriter | undefined): RoutedMessage | RefusedResult {
  const { id, subject } = message;
  try {
    const attributes = messageAttributes(message);
    if (writer?.covers(target) && size > writer.thresholdFor(limit.maxMessageBytes)) return claimChecked(message, target, limit, attributes, writer);
    if (size > limit.maxMessageBytes) {
      const carry = writer
        ? `Add it to claim-check's targets (claimCheck.targets, OUTBOX_CLAIM_CHECK_TARGETS)`
        : 'Turn on claim-check for it (claimCheck, OUTBOX_CLAIM_CHECK_BUCKET and OUTBOX_CLAIM_CHECK_TARGETS)';
      // Over what any SNS/SQS route carries inline, only claim-check could: about the message (permanent).
      if (size > DEFAULT_MAX_MESSAGE_BYTES) {
        const hint = `No SNS topic or SQS queue carries more than ${DEFAULT_MAX_MESSAGE_BYTES} bytes inline. ${carry}, then republish it.`;
        throw new MessageTooLargeError(size, limit.maxMessageBytes, { subject, hint });
      }
      // The route is what is too small (a configuration state): the message waits for it, it is not dead.
      const hint = `Route ${target} takes at most ${limit.maxMessageBytes} bytes (${SOURCES[limit.source]}). ${carry}, or raise its MaximumMessageSize (up to ${DEFAULT_MAX_MESSAGE_BYTES}): the message waits for it.`;
      const error = errorText(new MessageTooLargeError(size, limit.maxMessageBytes, { subject, hint }));
      return { id, status: 'blocked', route: SizeRefusals.routeOf(target), error, code: 'MessageTooLarge' };
    }
    return { message, target, limit, body: message.payload, attributes, size };
  } catch (err) {
    return { id, status: 'permanent', error: errorText(err) };
  }
}

/** The pointer message: its body names the S3 object, `ExtendedPayloadSize` the payload's size. */
function claimChecked(message: OutboxMessage, target: string, limit: RouteLimit, stored: Record<string, StringAttribute>, writer: ClaimCheckWriter): RoutedMessage {
  const count = Object.keys(stored).length + 1;
  if (count > MAX_MESSAGE_ATTRIBUTES) {
    throw new TooManyAttributesError(count, MAX_MESSAGE_ATTRIBUTES, { subject: message.subject, hint: 'its headers, the outbox id and subject, and the ExtendedPayloadSize of a claim-checked message' });
  }
  const key = writer.keyOf(message.id);
  const body = pointerBody({ bucket: writer.bucket, key });
  const payloadBytes = String(Buffer.byteLength(message.payload, 'utf8'));
  const attributes: Record<string, StringAttribute> = { ...stored, [PAYLOAD_SIZE_ATTRIBUTE]: { DataType: 'Number', StringValue: payloadBytes } };
  // The headers and outbox attributes as messageSize counts them, plus the pointer body and the size attribute.
  const size = messageSize(message, Buffer.byteLength(body, 'utf8')) + PAYLOAD_SIZE_ATTRIBUTE.length + 'Number'.length + payloadBytes.length;
  if (size > limit.maxMessageBytes) {
    throw new MessageTooLargeError(size, limit.maxMessageBytes, {
      subject: message.subject,
      hint: `Even as a claim-check pointer it is over what route ${target} takes (${SOURCES[limit.source]}): its headers are too large. Move them into the body.`,
    });
  }
  return { message, target, limit, body, attributes, size, claimCheckKey: key };
}
