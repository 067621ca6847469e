import type { InboxBeginResult } from '@tx-outbox/outbox-core';
import type { InboxRecord } from './readInboxRecord.js';

/**
 * What a record that could not be taken says about the delivery: another payload under the same id
 * (`mismatch`), already `done`, or `in_progress` elsewhere until its lease ends. A record that vanished
 * meanwhile (released or purged) reads as in progress with nothing left of its lease.
 */
export function recordOutcome(record: InboxRecord | undefined, fingerprint: string | null): Exclude<InboxBeginResult, { outcome: 'acquired' }> {
  if (record?.fingerprint && fingerprint && record.fingerprint !== fingerprint) return { outcome: 'mismatch' };
  if (record?.status === 'done') return { outcome: 'done', processedAt: record.processed_at! };
  return { outcome: 'in_progress', lockedUntil: record?.locked_until ?? new Date(), retryAfterMs: record?.retry_after_ms ?? 0 };
}
