import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import { type MessageStatus, messageStatusSql } from './messageStatus.js';

/** One message with everything stored about it; its payload cut to a limit (see {@link readMessage}). */
export interface MessageDetail {
  id: string;
  seq: string;
  subject: string;
  groupKey: string | null;
  dedupId: string | null;
  status: MessageStatus;
  headers: Record<string, string>;
  /** The payload as JSON text, whole or cut at the limit (`payloadTruncated`). */
  payloadText: string;
  /** Length of the whole payload's JSON text, in bytes. */
  payloadBytes: number;
  payloadTruncated: boolean;
  attempts: number;
  lastError: string | null;
  lockedBy: string | null;
  lockedUntil: Date | null;
  createdAt: Date;
  availableAt: Date | null;
  sentAt: Date | null;
  deadAt: Date | null;
}

/**
 * One message by id (the primary key, one descent per slot), its payload's JSON text cut to
 * `payloadLimit` characters; `undefined` when there is none.
 *
 * $1 id, $2 payload limit.
 */
export async function readMessage(db: SqlExecutor, table: string, id: string, payloadLimit: number): Promise<MessageDetail | undefined> {
  const { rows } = await db.query<{
    id: string; seq: string; subject: string; group_key: string | null; dedup_id: string | null; status: MessageStatus; headers: Record<string, string>;
    payload_text: string; payload_bytes: string; attempts: number; last_error: string | null; locked_by: string | null; locked_until: Date | null;
    created_at: Date; available_at: Date | null; sent_at: Date | null; dead_at: Date | null;
  }>(
    `SELECT id::text AS id, seq::text AS seq, subject, group_key, dedup_id, ${messageStatusSql()} AS status, headers,
            left(payload::text, $2::int) AS payload_text, octet_length(payload::text)::text AS payload_bytes,
            attempts, last_error, locked_by, locked_until, created_at, available_at, sent_at, dead_at
       FROM ${table} WHERE id = $1::uuid`,
    [id, payloadLimit],
  );
  const r = rows[0];
  if (r === undefined) return undefined;
  const payloadBytes = Number(r.payload_bytes);
  return {
    id: r.id, seq: r.seq, subject: r.subject, groupKey: r.group_key, dedupId: r.dedup_id, status: r.status, headers: r.headers ?? {},
    payloadText: r.payload_text, payloadBytes, payloadTruncated: Buffer.byteLength(r.payload_text) < payloadBytes,
    attempts: Number(r.attempts), lastError: r.last_error, lockedBy: r.locked_by, lockedUntil: r.locked_until,
    createdAt: r.created_at, availableAt: r.available_at, sentAt: r.sent_at, deadAt: r.dead_at,
  };
}
