/**
 * The largest message SNS and SQS carry inline, body plus attributes: 1 MiB (an SQS queue by default,
 * an SNS topic whose `MaximumMessageSize` is raised to it). The publisher's default limit; a route may
 * take less (a default SNS topic: 256 KiB), and the relay's claim-check carries more through S3.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

/**
 * Attribute names the relay adds to every published message. Users may not set them as headers.
 */
export const OUTBOX_ID_ATTRIBUTE = 'outbox-message-id';
export const SUBJECT_ATTRIBUTE = 'subject';

/**
 * The attribute that marks a claim-checked message (its body is a pointer to S3) and names the original
 * body's size, as AWS's extended clients write it, and its older name they still read. Users may not set
 * them as headers: a consumer would take the message for a pointer.
 */
export const CLAIM_CHECK_SIZE_ATTRIBUTES = ['ExtendedPayloadSize', 'SQSLargePayloadSize'] as const;

/**
 * Bytes a message counts against the broker limit once published: the JSON body, each header's
 * name, data type (`String`) and value, and the two attributes the relay adds. SNS and SQS count
 * attributes the same way, so the publisher and the transports use this one rule.
 * `payloadBytes` replaces the body's own byte length when the published body will differ from
 * `payload` (the publisher passes the size of PostgreSQL's jsonb text, see jsonbTextLength).
 */
export function messageSize(
  message: { subject: string; payload: string; headers?: Record<string, string> | null },
  payloadBytes: number = Buffer.byteLength(message.payload, 'utf8'),
): number {
  let size = payloadBytes;
  const attr = (name: string, value: string) =>
    Buffer.byteLength(name, 'utf8') + 'String'.length + Buffer.byteLength(value, 'utf8');
  for (const [name, value] of Object.entries(message.headers ?? {})) size += attr(name, value);
  size += attr(OUTBOX_ID_ATTRIBUTE, '00000000-0000-7000-8000-000000000000');
  size += attr(SUBJECT_ATTRIBUTE, message.subject);
  return size;
}
