import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { OUTBOX_ID_ATTRIBUTE, UndecodableMessageError } from '@tx-outbox/outbox-core';
import { SUBJECT_ATTRIBUTE, pickTraceHeaders, withoutTraceHeaders } from '@tx-outbox/outbox-core/internal';
import type { ConsumedMessage } from './ConsumedMessage.js';

/** A decoded message plus the body text it was parsed from (what the inbox fingerprints). */
export type DecodedMessage = Omit<ConsumedMessage, 'receiveCount' | 'raw'> & { bodyText: string };

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
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch (err) {
    throw new UndecodableMessageError(raw.MessageId, `its body is not JSON (outbox id ${id})`, { cause: err });
  }
  return { id, subject: subject ?? '', body: parsed, headers: withoutTraceHeaders(rest), traceContext: pickTraceHeaders(rest), bodyText };
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
