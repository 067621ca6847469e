import { createHash } from 'node:crypto';

/** The sha256 (hex) of a payload as received, stored instead of the payload to detect a reused id. */
export function payloadFingerprint(payload: string | Uint8Array): string {
  return createHash('sha256').update(payload).digest('hex');
}
