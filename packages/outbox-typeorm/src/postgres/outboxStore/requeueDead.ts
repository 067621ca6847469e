import type { SqlExecutor } from '../SqlExecutor.js';
import { type DeadSelection, deadFilterParams, deadFilterSql } from './deadFilter.js';

/**
 * Puts dead-lettered messages back in the queue as if new: clears `dead_at` and `last_error`,
 * resets `attempts`, makes them available now. Returns how many were requeued.
 *
 * $1 ids (text[] or null = any), $2 subject (or null = any).
 */
export async function requeueDead(db: SqlExecutor, table: string, selection: DeadSelection): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${table}
        SET dead_at = NULL, last_error = NULL, attempts = 0, available_at = now(),
            locked_by = NULL, locked_until = NULL
      WHERE ${deadFilterSql(1)}`,
    deadFilterParams(selection),
  );
  return rowCount;
}
