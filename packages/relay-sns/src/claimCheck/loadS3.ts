import type * as S3 from '@aws-sdk/client-s3';
import { requireOptional } from '../optional/requireOptional.js';

/** `@aws-sdk/client-s3`, an optional peer, loaded when a claim-checked message is first written or read. */
export function loadS3(): typeof S3 {
  return requireOptional<typeof S3>('@aws-sdk/client-s3', 'Claim-check (claimCheck, OUTBOX_CLAIM_CHECK_BUCKET, or a claim-checked message received)');
}
