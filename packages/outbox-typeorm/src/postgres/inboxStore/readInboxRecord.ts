import type { SqlExecutor } from '../SqlExecutor.js';

/** A inbox record as {@link readInboxRecord} returns it. */
export interface InboxRecord {
  status: 'in_progress' | 'done';
  locked_until: Date | null;
  processed_at: Date | null;
  fingerprint: string | null;
}

/**
 * Reads one record, after an acquire that returned nothing, to say why: done, in progress or mismatch.
 *
 * $1 consumer, $2 message id.
 */
export async function readInboxRecord(db: SqlExecutor, table: string, consumer: string, messageId: string): Promise<InboxRecord | undefined> {
  const { rows } = await db.query<InboxRecord>(
    `SELECT status, locked_until, processed_at, fingerprint FROM ${table} WHERE consumer = $1 AND message_id = $2`,
    [consumer, messageId],
  );
  return rows[0];
}
