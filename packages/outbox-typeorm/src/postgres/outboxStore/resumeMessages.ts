import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Brings forward messages given back earlier (retried, or released for a blocked route) whose route
 * works again: `available_at` becomes `now()`. Only rows still waiting change (pending, not leased,
 * `available_at` still ahead): one another relay claimed, sent or dead-lettered meanwhile is left
 * alone. Tries (`attempts`) are not touched. Not fenced by a relay id: the rows are nobody's lease.
 *
 * $1 ids (uuid[]).
 */
export async function resumeMessages(db: SqlExecutor, table: string, ids: readonly string[]): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${table}
        SET available_at = now()
      WHERE id = ANY($1::uuid[])
        AND sent_at IS NULL AND dead_at IS NULL
        AND available_at > now()
        AND (locked_until IS NULL OR locked_until < now())`,
    [ids],
  );
  return rowCount;
}
