import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { OUTBOX_ID_ATTRIBUTE, UndecodableMessageError } from '@tx-outbox/outbox-core';
import { CLAIM_CHECK_SIZE_ATTRIBUTES, SUBJECT_ATTRIBUTE, pickTraceHeaders, withoutTraceHeaders } from '@tx-outbox/outbox-core/internal';
import { isClaimChecked, parsePointerBody, type ClaimCheckPointer } from '../claimCheck/claimCheckPointer.js';
import type { ConsumedMessage } from './ConsumedMessage.js';

/**
 * A decoded message plus the body text it was parsed from (what the inbox fingerprints). A claim-checked
 * message has `claimCheck` set, and its body is still the pointer: the consumers read the real one from
 * S3 (readClaimCheckedBody) before anything else sees it.
 */
export type DecodedMessage = Omit<ConsumedMessage, 'receiveCount' | 'raw'> & { bodyText: string; claimCheck?: ClaimCheckPointer };

/** The JSON envelope SNS wraps a message in when the subscription does not use raw delivery. */
interface SnsEnvelope {
  Type: 'Notification';
  Message: string;
  MessageAttributes?: Record<string, { Type?: string; Value?: string }>;
}

/**
 * Decodes one SQS message into `{ id, subject, body, headers, traceContext }`:
 * - raw delivery (or SqsTransport): the attributes are the SQS message attributes, the body is the payload;
 * - SNS envelope: the SQS body is the SNS notification JSON, whose `Message` is the payload and whose
 *   `MessageAttributes` (`{ Type, Value }`) carry the attributes.
 *
 * A claim-checked message (attribute `ExtendedPayloadSize` or `SQSLargePayloadSize`, either delivery)
 * comes back with `claimCheck` (bucket and key) and its pointer as body; `SqsConsumer`, the Lambda
 * handler and `outboxMessageHandler` read the real body from S3 themselves.
 *
 * @throws UndecodableMessageError when there is no outbox id or the payload is not JSON.
 */
export function decodeSqsMessage(raw: Message): DecodedMessage {
  const body = raw.Body ?? '';
  let attributes = fromSqsAttributes(raw.MessageAttributes);
  let bodyText = body;
  if (attributes[OUTBOX_ID_ATTRIBUTE] === undefined) {
    const envelope = parseEnvelope(body);
    if (envelope) {
      attributes = fromEnvelopeAttributes(envelope.MessageAttributes);
      bodyText = envelope.Message;
    }
  }
  const { [OUTBOX_ID_ATTRIBUTE]: id, [SUBJECT_ATTRIBUTE]: subject, ...rest } = attributes;
  if (!id) {
    throw new UndecodableMessageError(raw.MessageId, `it has no "${OUTBOX_ID_ATTRIBUTE}" message attribute, so it was not published by the outbox`);
  }
  // Claim-checked (AWS's extended-client format): the attribute marks it, the body names the S3 object.
  let claimCheck: ClaimCheckPointer | undefined;
  if (isClaimChecked(rest)) {
    claimCheck = parsePointerBody(bodyText);
    if (!claimCheck) throw new UndecodableMessageError(raw.MessageId, `it carries ${CLAIM_CHECK_SIZE_ATTRIBUTES.join(' or ')} but its body is not a claim-check pointer (outbox id ${id})`);
    for (const name of CLAIM_CHECK_SIZE_ATTRIBUTES) delete rest[name];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch (err) {
    throw new UndecodableMessageError(raw.MessageId, `its body is not JSON (outbox id ${id})`, { cause: err });
  }
  const decoded: DecodedMessage = { id, subject: subject ?? '', body: parsed, headers: withoutTraceHeaders(rest), traceContext: pickTraceHeaders(rest), bodyText };
  return claimCheck ? { ...decoded, claimCheck } : decoded;
}

function parseEnvelope(body: string): SnsEnvelope | undefined {
  if (!body.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(body) as Partial<SnsEnvelope> | null;
    return value?.Type === 'Notification' && typeof value.Message === 'string' ? (value as SnsEnvelope) : undefined;
  } catch {
    return undefined;
  }
}

// Binary attributes are not headers the outbox writes; they are left out.
function fromSqsAttributes(attributes: Record<string, MessageAttributeValue> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (typeof value.StringValue === 'string') out[name] = value.StringValue;
  }
  return out;
}

function fromEnvelopeAttributes(attributes: SnsEnvelope['MessageAttributes']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (typeof value?.Value === 'string' && value.Type !== 'Binary') out[name] = value.Value;
  }
  return out;
}
