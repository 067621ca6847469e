
import { CLAIM_CHECK_SIZE_ATTRIBUTES } from '@tx-outbox/outbox-core/internal';
/**
 * The claim-check pointer format of AWS's extended clients (amazon-sqs-java-extended-client-lib,
 * amazon-sns-java-extended-client-lib, payload-offloading-java-common-lib-for-aws, the Python
 * sqs-extended-client): the message body is the JSON array
 * `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"…","s3Key":"…"}]`, and the
 * Number attribute `ExtendedPayloadSize` holds the original body's size in bytes. The attribute is what
 * marks a pointer (`SQSLargePayloadSize`, its older name, too), so a consumer written with those clients
 * reads what the relay offloads, and this package reads what they offload.
 */
export const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';

/** The pointer class the SQS Java extended client 1.x wrote; still read. */
const LEGACY_POINTER_CLASS = 'com.amazon.sqs.javamessaging.MessageS3Pointer';

/** The attribute the relay writes on a claim-checked message (the first of CLAIM_CHECK_SIZE_ATTRIBUTES). */
export const PAYLOAD_SIZE_ATTRIBUTE = CLAIM_CHECK_SIZE_ATTRIBUTES[0];

/** Where a claim-checked body is. */
export interface ClaimCheckPointer {
  bucket: string;
  key: string;
}

/** The body of a claim-checked message. */
export function pointerBody(pointer: ClaimCheckPointer): string {
  return JSON.stringify([POINTER_CLASS, { s3BucketName: pointer.bucket, s3Key: pointer.key }]);
}

/** Whether a message's attributes (name → value) mark it claim-checked. */
export function isClaimChecked(attributes: Readonly<Record<string, unknown>>): boolean {
  return CLAIM_CHECK_SIZE_ATTRIBUTES.some((name) => attributes[name] !== undefined);
}

/** The bucket and key a pointer body names, or undefined when the text is not a pointer body. */
export function parsePointerBody(text: string): ClaimCheckPointer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2 || (value[0] !== POINTER_CLASS && value[0] !== LEGACY_POINTER_CLASS)) return undefined;
  const { s3BucketName, s3Key } = (value[1] ?? {}) as { s3BucketName?: unknown; s3Key?: unknown };
  return typeof s3BucketName === 'string' && s3BucketName !== '' && typeof s3Key === 'string' && s3Key !== '' ? { bucket: s3BucketName, key: s3Key } : undefined;
}
