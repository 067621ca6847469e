import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Marks messages sent and clears their lease (and an earlier attempt's `last_error`), for all ids in
 * one statement.
 *
 * $1 relay id, $2 message ids (uuid[]).
 *
 * Fenced by `locked_by = $1`: once a lease has expired and another relay re-claimed the row, the
 * late relay's mark matches nothing. The row keeps its new owner's lease and outcome.
 * For a row that never waited nothing indexed changes (`available_at` stays NULL): a heap-only update.
 */
export async function markSent(db: SqlExecutor, table: string, relayId: string, ids: readonly string[]): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${table}
        SET sent_at = now(), locked_by = NULL, locked_until = NULL, available_at = NULL, last_error = NULL
      WHERE id = ANY($2::uuid[]) AND locked_by = $1
        AND sent_at IS NULL AND dead_at IS NULL`,
    [relayId, ids],
  );
  return rowCount;
}
