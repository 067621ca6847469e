import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Gives back leased messages untouched (e.g. claimed but not published before shutdown): clears the
 * lease and undoes the claim's `attempts` bump, so a release does not count towards `maxAttempts`.
 * `available_at` is left as it was, so the rows are claimable again at once.
 *
 * $1 relay id, $2 ids (text[]).
 *
 * Fenced by `locked_by = $1` (see markSent).
 */
export async function releaseMessages(db: SqlExecutor, table: string, relayId: string, ids: readonly string[]): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${table}
        SET locked_by = NULL, locked_until = NULL, attempts = greatest(attempts - 1, 0)
      WHERE id = ANY($2::uuid[]) AND locked_by = $1
        AND sent_at IS NULL AND dead_at IS NULL`,
    [relayId, ids],
  );
  return rowCount;
}
