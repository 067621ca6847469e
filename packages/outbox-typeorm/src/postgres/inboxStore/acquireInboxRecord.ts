import type { SqlExecutor } from '../SqlExecutor.js';

/** Arguments of {@link acquireInboxRecord}. */
export interface AcquireInboxRecord {
  consumer: string;
  messageId: string;
  token: string;
  leaseMs: number;
  ttlMs: number;
  fingerprint: string | null;
}

/**
 * Takes the record in one statement: inserts it `in_progress`, or takes over an `in_progress`
 * record whose lease expired (same or no fingerprint) or a `done` record that expired. Returns
 * whether this call now owns it; when not, the caller reads the record to say why.
 *
 * $1 consumer, $2 message id, $3 lease token, $4 lease ms, $5 ttl ms, $6 payload fingerprint (null: unchecked).
 *
 * ON CONFLICT ... DO UPDATE ... WHERE takes the row lock of a conflicting record, so two consumers
 * racing for an expired lease serialize: the second re-checks the WHERE against the winner's new
 * lease and updates nothing. A conflicting insert waits for an uncommitted one (e.g. a record being
 * completed in a transaction) and then sees its outcome. clock_timestamp(), not now(): the database
 * clock is the one all consumers share, and now() would be the start of an enclosing transaction.
 * expires_at is never before locked_until, so retention can tell from the expires_at index alone that
 * every record of a partition has expired.
 */
export async function acquireInboxRecord(db: SqlExecutor, table: string, args: AcquireInboxRecord): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO ${table} AS r (consumer, message_id, status, locked_by, locked_until, expires_at, fingerprint)
     VALUES ($1, $2, 'in_progress', $3,
             clock_timestamp() + $4::double precision * interval '1 millisecond',
             clock_timestamp() + greatest($4, $5)::double precision * interval '1 millisecond', $6)
     ON CONFLICT (consumer, message_id) DO UPDATE
        SET status = 'in_progress', locked_by = EXCLUDED.locked_by, locked_until = EXCLUDED.locked_until,
            processed_at = NULL, expires_at = EXCLUDED.expires_at,
            fingerprint = CASE WHEN r.status = 'done' THEN EXCLUDED.fingerprint
                               ELSE COALESCE(EXCLUDED.fingerprint, r.fingerprint) END
      WHERE (r.status = 'done' AND r.expires_at <= clock_timestamp())
         OR (r.status = 'in_progress' AND r.locked_until <= clock_timestamp()
             AND (r.fingerprint IS NULL OR EXCLUDED.fingerprint IS NULL OR r.fingerprint = EXCLUDED.fingerprint))
     RETURNING locked_by`,
    [args.consumer, args.messageId, args.token, args.leaseMs, args.ttlMs, args.fingerprint],
  );
  return rows.length === 1;
}
