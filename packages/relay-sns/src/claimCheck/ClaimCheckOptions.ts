import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { checkTargetShape, type TargetKind } from '../routing/checkTargetShape.js';
import type { S3ClientLike } from './S3ClientLike.js';
import { checkInteger, DEFAULT_MAX_MESSAGE_BYTES } from '@tx-outbox/outbox-core/internal';

/**
 * Claim-check for a transport's routes: a message over its route's limit (or over `thresholdBytes`) is
 * written to S3 and a pointer to it is published instead, in the format of AWS's extended clients.
 */
export interface ClaimCheckOptions {
  /** The bucket the bodies are written to; the consumers read them from it. */
  bucket: string;
  /**
   * The routes whose consumers read claim-checked messages: topic ARNs (SnsTransport) or queue URLs
   * (SqsTransport), or `'*'` for every route of the transport. A route not listed never gets a pointer.
   */
  targets: readonly string[] | '*';
  /** Prefix of every object key (the key is `<keyPrefix><outbox id>`), e.g. `outbox/`: what a lifecycle rule filters on. @defaultValue `''` */
  keyPrefix?: string;
  /**
   * Offload every message over this many bytes (counted as for the route's limit), even where the route
   * could carry it; 0 offloads every message of the listed routes. @defaultValue the route's own limit
   */
  thresholdBytes?: number;
  /** An S3 client of your own (yours to destroy). @defaultValue one made from the transport's region and endpoint, destroyed by `close()` */
  client?: S3ClientLike;
}

/** The values `thresholdBytes` accepts; the `outbox-relay` CLI uses the same. */
export const CLAIM_CHECK_THRESHOLD_RANGE = { min: 0, max: DEFAULT_MAX_MESSAGE_BYTES } as const;

// S3's bucket naming rules (general purpose buckets): 3 to 63 lowercase letters, digits, dots and
// hyphens, starting and ending with a letter or digit.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// S3's "safe" key characters; the outbox id (36 characters) follows the prefix within S3's 1,024.
const KEY_PREFIX = /^[A-Za-z0-9!_.*'()/-]{0,988}$/;

/** What a bucket name must look like, for error messages. */
export const BUCKET_RULE = '3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit';
/** What a key prefix must look like, for error messages. */
export const KEY_PREFIX_RULE = "at most 988 of the characters S3 calls safe (letters, digits and ! - _ . * ' ( ) /)";

/** Whether `bucket` follows S3's bucket naming rules. */
export function isBucketName(bucket: string): boolean {
  return BUCKET.test(bucket) && !bucket.includes('..');
}

/** Whether `prefix` is a key prefix claim-check accepts. */
export function isKeyPrefix(prefix: string): boolean {
  return KEY_PREFIX.test(prefix);
}

/**
 * Validates a transport's `claimCheck` option.
 * @throws InvalidOptionError naming `claimCheck.<field>`.
 */
export function checkClaimCheckOptions(options: ClaimCheckOptions, kind: TargetKind): Required<Omit<ClaimCheckOptions, 'client' | 'thresholdBytes'>> & Pick<ClaimCheckOptions, 'client' | 'thresholdBytes'> {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('claimCheck', '{ bucket, targets, keyPrefix?, thresholdBytes?, client? }', options);
  const { bucket, targets, keyPrefix = '', thresholdBytes, client } = options;
  if (typeof bucket !== 'string' || !isBucketName(bucket)) throw new InvalidOptionError('claimCheck.bucket', `an S3 bucket name (${BUCKET_RULE})`, bucket);
  if (targets !== '*') {
    if (!Array.isArray(targets) || targets.length === 0) throw new InvalidOptionError('claimCheck.targets', `'*' or a non-empty list of ${kind === 'topicArn' ? 'topic ARNs' : 'queue URLs'}`, targets);
    targets.forEach((target: unknown, i) => {
      const expected = typeof target === 'string' ? checkTargetShape(target, kind) : `a ${kind}`;
      if (expected !== undefined) throw new InvalidOptionError(`claimCheck.targets[${i}]`, expected, target);
    });
  }
  if (typeof keyPrefix !== 'string' || !isKeyPrefix(keyPrefix)) throw new InvalidOptionError('claimCheck.keyPrefix', KEY_PREFIX_RULE, keyPrefix);
  if (thresholdBytes !== undefined) checkInteger('claimCheck.thresholdBytes', thresholdBytes, CLAIM_CHECK_THRESHOLD_RANGE);
  if (client !== undefined && typeof client?.send !== 'function') throw new InvalidOptionError('claimCheck.client', 'an S3Client', client);
  return { bucket, targets, keyPrefix, thresholdBytes, client };
}
