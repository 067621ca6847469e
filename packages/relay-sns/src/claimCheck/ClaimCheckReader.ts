import { InvalidOptionError } from '@tx-outbox/outbox-core';
import type { AwsClientOptions } from '../aws/AwsClientOptions.js';
import type { ClaimCheckPointer } from './claimCheckPointer.js';
import { createS3Client } from './createS3Client.js';
import { loadS3 } from './loadS3.js';
import type { S3ClientLike } from './S3ClientLike.js';

/** How a consumer reads claim-checked bodies (`claimCheck` of SqsConsumer, the Lambda handler, outboxMessageHandler). */
export interface ClaimCheckReadOptions {
  /** An S3 client of your own (yours to destroy). @defaultValue one made on the first claim-checked message, from the consumer's region and endpoint */
  client?: S3ClientLike;
}

/**
 * A consumer's side of claim-check: reads the body a pointer names. The S3 client (and
 * `@aws-sdk/client-s3`, an optional peer) is loaded on the first claim-checked message only.
 */
export class ClaimCheckReader {
  private client: S3ClientLike | undefined;
  private readonly ownsClient: boolean;

  /** @throws InvalidOptionError naming `claimCheck.client`. */
  constructor(options: ClaimCheckReadOptions | undefined, private readonly aws: AwsClientOptions<unknown> = {}) {
    const client = options?.client;
    if (options !== undefined && (options === null || typeof options !== 'object')) throw new InvalidOptionError('claimCheck', '{ client? }', options);
    if (client !== undefined && typeof client?.send !== 'function') throw new InvalidOptionError('claimCheck.client', 'an S3Client', client);
    this.client = client;
    this.ownsClient = client === undefined;
  }

  /** The object's text (UTF-8). Rejects with the S3 error. */
  async read(pointer: ClaimCheckPointer, signal?: AbortSignal): Promise<string> {
    const { GetObjectCommand } = loadS3();
    this.client ??= createS3Client(this.aws);
    const out = (await this.client.send(new GetObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }), { abortSignal: signal })) as { Body?: { transformToString(encoding?: string): Promise<string> } };
    if (!out.Body) throw new Error('S3 answered GetObject without a body');
    return out.Body.transformToString('utf-8');
  }

  /** Destroys the S3 client if this reader made it. */
  close(): void {
    if (this.ownsClient) {
      this.client?.destroy();
      this.client = undefined;
    }
  }
}
