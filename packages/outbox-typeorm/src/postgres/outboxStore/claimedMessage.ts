import type { OutboxMessage } from '@tx-outbox/outbox-core';

/**
 * The columns both claim statements return, aliased to {@link ClaimedRow}, shaped so the relay's side
 * does as little per row as it can (the relay spends CPU per message, BENCHMARKS.md scenario 10):
 * - `payload::text`: the relay publishes the stored JSON text as is and never parses it;
 * - `seq::text` because it is a bigint;
 * - `created_at` as epoch milliseconds (float8, read with `parseFloat`) rather than a timestamptz, whose
 *   text pg parses with regular expressions: about 1.5 µs a row, measured, for the same `Date` (both
 *   truncate to the millisecond);
 * - `headers` NULL when empty (most messages), so pg parses no JSON for them.
 */
export const CLAIMED_COLUMNS =
  "id::text AS id, seq::text AS seq, subject, payload::text AS payload, NULLIF(headers, '{}'::jsonb) AS headers, group_key, dedup_id, " +
  '(extract(epoch FROM created_at) * 1000)::float8 AS created_at_ms, attempts';

export interface ClaimedRow {
  id: string;
  seq: string;
  subject: string;
  payload: string;
  headers: Record<string, string> | null;
  group_key: string | null;
  dedup_id: string | null;
  /** Epoch milliseconds, with the microseconds as a fraction. */
  created_at_ms: number;
  attempts: number;
}

/** Maps a claimed row to the relay's {@link OutboxMessage}. */
export function toOutboxMessage(row: ClaimedRow): OutboxMessage {
  return {
    id: row.id,
    seq: row.seq,
    subject: row.subject,
    payload: row.payload,
    headers: row.headers ?? {},
    groupKey: row.group_key,
    dedupId: row.dedup_id,
    // A Date keeps whole milliseconds, as pg's own timestamptz parser does (both truncate).
    createdAt: new Date(Math.trunc(Number(row.created_at_ms))),
    attempts: Number(row.attempts),
  };
}
