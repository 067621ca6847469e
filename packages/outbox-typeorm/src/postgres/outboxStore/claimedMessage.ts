import type { OutboxMessage } from '@tx-outbox/outbox-core';

/**
 * The columns both claim statements return, aliased to {@link ClaimedRow}. `payload::text` so the
 * relay publishes the stored JSON text as is and never parses it; `seq::text` because it is a bigint.
 */
export const CLAIMED_COLUMNS =
  'id::text AS id, seq::text AS seq, subject, payload::text AS payload, headers, group_key, dedup_id, created_at, attempts';

export interface ClaimedRow {
  id: string;
  seq: string;
  subject: string;
  payload: string;
  headers: Record<string, string> | null;
  group_key: string | null;
  dedup_id: string | null;
  created_at: Date;
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
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
    attempts: Number(row.attempts),
  };
}
