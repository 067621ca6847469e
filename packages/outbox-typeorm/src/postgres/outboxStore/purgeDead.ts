import type { SqlExecutor } from '../SqlExecutor.js';
import { type DeadSelection, deadFilterParams, deadFilterSql } from './deadFilter.js';

/**
 * Deletes dead-lettered messages for good. Returns how many were deleted.
 *
 * $1 ids (text[] or null = any), $2 subject (or null = any).
 */
export async function purgeDead(db: SqlExecutor, table: string, selection: DeadSelection): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM ${table} WHERE ${deadFilterSql(1)}`, deadFilterParams(selection));
  return rowCount;
}
