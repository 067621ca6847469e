import { OutboxError } from '@tx-outbox/outbox-core';

/**
 * A claim-checked message's body could not be read from S3 (the object is missing, access is denied, S3
 * did not answer). The message is left for redelivery, like a failed handler: it is read again then.
 */
export class ClaimCheckReadError extends OutboxError {
  readonly messageId: string;
  readonly bucket: string;
  readonly key: string;
  constructor(messageId: string, bucket: string, key: string, options?: { cause?: unknown }) {
    const cause = options?.cause as { name?: unknown; message?: unknown } | undefined;
    const why = cause ? `: ${String(cause.name ?? 'Error')}: ${String(cause.message ?? '')}` : '';
    super(
      `Message ${messageId} is claim-checked, and its body could not be read from s3://${bucket}/${key}${why}. ` +
        'It is left for redelivery. Check that the object exists (a lifecycle rule may have expired it) and that this consumer may s3:GetObject in the bucket.',
      options,
    );
    this.name = 'ClaimCheckReadError';
    this.messageId = messageId;
    this.bucket = bucket;
    this.key = key;
  }
}
