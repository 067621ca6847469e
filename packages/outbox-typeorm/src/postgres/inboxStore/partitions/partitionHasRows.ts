import type { SqlExecutor } from '../../SqlExecutor.js';

/**
 * Whether a partition holds any record: a scan that stops at the first row. No parameters (the
 * partition is a quoted identifier derived from the validated table name).
 */
export async function partitionHasRows(db: SqlExecutor, partition: string): Promise<boolean> {
  const { rows } = await db.query<{ has_rows: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${partition}) AS has_rows`);
  return rows[0]!.has_rows;
}
