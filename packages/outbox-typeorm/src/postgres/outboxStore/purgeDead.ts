import type { SqlExecutor } from '../SqlExecutor.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from './messageSelection.js';

/**
 * One batch of a purge: deletes up to `batchSize` dead-lettered messages matching the selection for
 * good. Returns how many; the caller repeats until a batch comes back short.
 *
 * $1..$5 the selection filter (ids, subject, prefix, since, until), $6 batch size.
 *
 * Small batches keep each transaction's locks and WAL short on a table the relay claims from.
 */
export async function purgeDead(db: SqlExecutor, table: string, selection: MessageSelection, batchSize: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM ${table}
      WHERE id IN (SELECT id FROM ${table}
                    WHERE dead_at IS NOT NULL AND ${selectionFilterSql(1)}
                    ORDER BY id
                    LIMIT $6
                      FOR UPDATE)`,
    [...selectionFilterParams(selection), batchSize],
  );
  return rowCount;
}
