import type { SqlExecutor } from '../SqlExecutor.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from './messageSelection.js';

/**
 * How many sent messages match the selection: what a republish would publish again (its dry run).
 *
 * $1..$5 the selection filter (ids, subject, prefix, since, until).
 */
export async function countSent(db: SqlExecutor, table: string, selection: MessageSelection): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table} WHERE sent_at IS NOT NULL AND ${selectionFilterSql(1)}`,
    selectionFilterParams(selection),
  );
  return Number(rows[0]!.n);
}
