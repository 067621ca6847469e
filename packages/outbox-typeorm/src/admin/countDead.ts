import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from '../postgres/outboxStore/messageSelection.js';

/**
 * How many dead-lettered messages match the selection: what a requeue or purge would touch (its dry
 * run). Reads the dead index only.
 *
 * $1..$7 the selection filter (ids, subject, prefix, since, until, group key, fingerprint).
 */
export async function countDead(db: SqlExecutor, table: string, selection: MessageSelection): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table} WHERE dead_at IS NOT NULL AND ${selectionFilterSql(1)}`,
    selectionFilterParams(selection),
  );
  return Number(rows[0]!.n);
}
