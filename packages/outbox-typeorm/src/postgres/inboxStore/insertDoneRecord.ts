import type { SqlExecutor } from '../SqlExecutor.js';

/** Arguments of {@link insertDoneRecord}. */
export interface InsertDoneRecord {
  consumer: string;
  messageId: string;
  ttlMs: number;
  fingerprint: string | null;
  /** How long the statement may wait for a concurrent delivery's uncommitted record (`lock_timeout`). */
  waitMs: number;
}

/**
 * The first statement of a handler's transaction: writes the record `done` (inserts it, or takes over
 * a `done` record that expired or an `in_progress` lease that ran out, as acquireInboxRecord does).
 * Returns whether this transaction now holds it; when not, the caller reads the record to say why.
 *
 * $1 consumer, $2 message id, $3 ttl ms, $4 payload fingerprint (null: unchecked), $5 lock_timeout ms.
 *
 * No `in_progress` step: until this transaction ends, a concurrent delivery of the same id blocks on the
 * uncommitted unique-index entry, then sees the commit (a duplicate) or the rollback (it inserts). That
 * wait is bounded by lock_timeout, set for this statement only and in this transaction only (SET LOCAL's
 * set_config form, so it holds through a transaction-mode pooler): the `bounded` CTE is evaluated before
 * the insert (the insert reads its row from it) and RETURNING puts the caller's setting back once the row
 * is written, so the handler's own statements keep it. A timeout fails with 55P03 and aborts the
 * transaction, which the caller rolls back.
 */
export async function insertDoneRecord(db: SqlExecutor, table: string, args: InsertDoneRecord): Promise<boolean> {
  const { rows } = await db.query(
    `WITH bounded AS (SELECT current_setting('lock_timeout') AS previous, set_config('lock_timeout', $5::text, true) AS applied)
     INSERT INTO ${table} AS r (consumer, message_id, status, processed_at, expires_at, fingerprint)
     SELECT $1, $2, 'done', clock_timestamp(), clock_timestamp() + $3::double precision * interval '1 millisecond', $4 FROM bounded
     ON CONFLICT (consumer, message_id) DO UPDATE
        SET status = 'done', locked_by = NULL, locked_until = NULL, processed_at = EXCLUDED.processed_at,
            expires_at = EXCLUDED.expires_at,
            fingerprint = CASE WHEN r.status = 'done' THEN EXCLUDED.fingerprint
                               ELSE COALESCE(EXCLUDED.fingerprint, r.fingerprint) END
      WHERE (r.status = 'done' AND r.expires_at <= clock_timestamp())
         OR (r.status = 'in_progress' AND r.locked_until <= clock_timestamp()
             AND (r.fingerprint IS NULL OR EXCLUDED.fingerprint IS NULL OR r.fingerprint = EXCLUDED.fingerprint))
     RETURNING set_config('lock_timeout', (SELECT previous FROM bounded), true)`,
    [args.consumer, args.messageId, args.ttlMs, args.fingerprint, args.waitMs],
  );
  return rows.length === 1;
}
