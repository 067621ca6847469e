import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Retention, one batch: deletes at most `batchSize` rows sent more than `olderThanMs` ago. The
 * caller loops until a batch comes back short; small batches keep each transaction short, so the
 * relay's claims and the publisher's inserts are never held up by a long delete.
 *
 * $1 age in ms, $2 batch size.
 *
 * No ORDER BY: any old sent rows will do, so the scan (the partial index on sent_at, or the heap,
 * where old sent rows sit at the front) stops at the first `batchSize` matches. SKIP LOCKED lets two retention jobs run
 * side by side without waiting on each other.
 */
export async function deleteSentBefore(db: SqlExecutor, table: string, olderThanMs: number, batchSize: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM ${table}
      WHERE id IN (SELECT id FROM ${table}
                    WHERE sent_at < now() - $1::float8 * interval '1 millisecond'
                    LIMIT $2
                      FOR UPDATE SKIP LOCKED)`,
    [olderThanMs, batchSize],
  );
  return rowCount;
}
