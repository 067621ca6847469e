import { clientConfig, type AwsClientOptions } from '../aws/AwsClientOptions.js';
import { loadS3 } from './loadS3.js';
import type { S3ClientLike } from './S3ClientLike.js';

/**
 * An S3 client for claim-check, made like the component's own SNS/SQS client (region, endpoint, request
 * timeout). With a custom endpoint (an emulator, LocalStack) it addresses buckets by path, since
 * `bucket.127.0.0.1` does not resolve.
 */
export function createS3Client(options: AwsClientOptions<unknown>): S3ClientLike {
  const { S3Client } = loadS3();
  return new S3Client({ ...clientConfig(options), forcePathStyle: options.endpoint !== undefined });
}
