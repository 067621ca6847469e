import type { AwsClientOptions } from '../aws/AwsClientOptions.js';
import type { TargetKind } from '../routing/checkTargetShape.js';
import { checkClaimCheckOptions, type ClaimCheckOptions } from './ClaimCheckOptions.js';
import { createS3Client } from './createS3Client.js';
import { loadS3 } from './loadS3.js';
import type { S3ClientLike } from './S3ClientLike.js';

/**
 * A transport's side of claim-check: which routes it covers, where a message's body goes, and the
 * upload. The object key is the outbox id under the prefix, so a publish that is retried writes the same
 * object again (same key, same body) and never leaves a second one; objects are never deleted here (a
 * topic may have several subscribers): a lifecycle rule on the bucket expires them.
 */
export class ClaimCheckWriter {
  /** How the bucket is named as a route, e.g. `s3://payloads/outbox/`: an upload that fails blocks or retries it. */
  readonly route: string;
  readonly bucket: string;
  private readonly keyPrefix: string;
  private readonly targets: ReadonlySet<string> | '*';
  private readonly thresholdBytes: number | undefined;
  private client: S3ClientLike | undefined;
  private readonly ownsClient: boolean;

  /** @throws InvalidOptionError naming `claimCheck.<field>`. */
  constructor(options: ClaimCheckOptions, kind: TargetKind, private readonly aws: AwsClientOptions<unknown>) {
    const checked = checkClaimCheckOptions(options, kind);
    this.bucket = checked.bucket;
    this.keyPrefix = checked.keyPrefix;
    this.targets = checked.targets === '*' ? '*' : new Set(checked.targets);
    this.thresholdBytes = checked.thresholdBytes;
    this.client = checked.client;
    this.ownsClient = checked.client === undefined;
    this.route = `s3://${this.bucket}/${this.keyPrefix}`;
  }

  /** Whether messages of `target` may be claim-checked. */
  covers(target: string): boolean {
    return this.targets === '*' || this.targets.has(target);
  }

  /** Above how many bytes a message of a route whose limit is `limitBytes` is offloaded. */
  thresholdFor(limitBytes: number): number {
    return Math.min(limitBytes, this.thresholdBytes ?? limitBytes);
  }

  /** The object key of a message's body. */
  keyOf(messageId: string): string {
    return `${this.keyPrefix}${messageId}`;
  }

  /** Writes one body (the payload JSON text). Rejects with the S3 error; `signal` aborts it. */
  async upload(key: string, body: string, signal?: AbortSignal): Promise<void> {
    const { PutObjectCommand } = loadS3();
    this.client ??= createS3Client(this.aws);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }), { abortSignal: signal });
  }

  /** Destroys the S3 client if this writer made it. */
  close(): void {
    if (this.ownsClient) this.client?.destroy();
    if (this.ownsClient) this.client = undefined;
  }
}
