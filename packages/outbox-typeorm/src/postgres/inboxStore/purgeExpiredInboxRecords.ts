import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Deletes up to `batchSize` expired records: `done` ones past their retention, and `in_progress`
 * ones abandoned past both their lease and their retention. Returns how many.
 *
 * $1 batch size.
 *
 * Small batches keep each delete's locks and WAL short; SKIP LOCKED lets several purgers (or a
 * consumer re-acquiring an expired record) run alongside without waiting on each other. now() is
 * fine here (an autocommit statement) and, unlike clock_timestamp(), lets the expires_at index be used.
 */
export async function purgeExpiredInboxRecords(db: SqlExecutor, table: string, batchSize: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM ${table}
      WHERE (consumer, message_id) IN (
        SELECT consumer, message_id FROM ${table}
         WHERE expires_at <= now() AND (status = 'done' OR locked_until <= now())
         ORDER BY expires_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)`,
    [batchSize],
  );
  return rowCount;
}
