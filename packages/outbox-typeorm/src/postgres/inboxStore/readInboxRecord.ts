import type { SqlExecutor } from '../SqlExecutor.js';

/** A inbox record as {@link readInboxRecord} returns it. */
export interface InboxRecord {
  status: 'in_progress' | 'done';
  locked_until: Date | null;
  /** What is left of the lease of an `in_progress` record, in ms by the database clock (0 once it ran out). */
  retry_after_ms: number | null;
  processed_at: Date | null;
  fingerprint: string | null;
}

/**
 * Reads one record, after an acquire that returned nothing, to say why: done, in progress or mismatch.
 *
 * $1 consumer, $2 message id.
 *
 * The rest of the lease is computed here, by the clock every consumer's lease is compared with, so a
 * consumer whose own clock is off still puts the message back for the right time.
 */
export async function readInboxRecord(db: SqlExecutor, table: string, consumer: string, messageId: string): Promise<InboxRecord | undefined> {
  const { rows } = await db.query<InboxRecord>(
    `SELECT status, locked_until, processed_at, fingerprint,
            greatest(0, extract(epoch FROM locked_until - clock_timestamp()) * 1000)::float8 AS retry_after_ms
       FROM ${table} WHERE consumer = $1 AND message_id = $2`,
    [consumer, messageId],
  );
  return rows[0];
}
