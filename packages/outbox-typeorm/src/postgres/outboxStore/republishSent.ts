import type { SqlExecutor } from '../SqlExecutor.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from './messageSelection.js';

/**
 * One batch of a republish (replay): makes up to `batchSize` sent messages with an id above `afterId`
 * pending again, as if new: `sent_at` cleared, `attempts` reset, available now. Each keeps its id (so
 * consumers deduplicating on the outbox id see a duplicate) and its `seq` (its place in the claim
 * order). Returns the ids; the caller continues after the greatest one until a batch comes back short.
 *
 * $1..$5 the selection filter (ids, subject, prefix, since, until), $6 afterId (uuid or null = from the
 * start), $7 batch size.
 *
 * Batches walk the primary key (uuid v7, so roughly oldest first): each one is an index range scan, and
 * a message the relay publishes again while the republish runs is never picked up a second time, which
 * a loop on `sent_at IS NOT NULL` alone would do forever. Plain FOR UPDATE waits for a row retention is
 * deleting instead of skipping it (it is then gone, and not counted).
 */
export async function republishSent(db: SqlExecutor, table: string, selection: MessageSelection, afterId: string | null, batchSize: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE ${table}
        SET sent_at = NULL, attempts = 0, available_at = now(), last_error = NULL,
            locked_by = NULL, locked_until = NULL
      WHERE id IN (SELECT id FROM ${table}
                    WHERE sent_at IS NOT NULL AND ${selectionFilterSql(1)}
                      AND ($6::uuid IS NULL OR id > $6::uuid)
                    ORDER BY id
                    LIMIT $7
                      FOR UPDATE)
      RETURNING id::text AS id`,
    [...selectionFilterParams(selection), afterId, batchSize],
  );
  return rows.map((r) => r.id);
}
