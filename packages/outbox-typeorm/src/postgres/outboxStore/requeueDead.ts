import type { SqlExecutor } from '../SqlExecutor.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from './messageSelection.js';

/**
 * One batch of a requeue: puts up to `batchSize` dead-lettered messages with an id above `afterId`
 * back in the queue as if new (clears `dead_at` and `last_error`, resets `attempts`, available now).
 * Returns the ids requeued; the caller continues after the greatest one until a batch comes back short.
 *
 * $1..$5 the selection filter (ids, subject, prefix, since, until), $6 afterId (uuid or null = from the
 * start), $7 batch size.
 *
 * Batches walk the primary key, so each one is an index range scan and a message that dies again while
 * the requeue runs is not requeued twice. Plain FOR UPDATE (not SKIP LOCKED): an operator's command
 * should wait for a row another statement holds rather than silently leave it out.
 */
export async function requeueDead(db: SqlExecutor, table: string, selection: MessageSelection, afterId: string | null, batchSize: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE ${table}
        SET dead_at = NULL, last_error = NULL, attempts = 0, available_at = now(),
            locked_by = NULL, locked_until = NULL
      WHERE id IN (SELECT id FROM ${table}
                    WHERE dead_at IS NOT NULL AND ${selectionFilterSql(1)}
                      AND ($6::uuid IS NULL OR id > $6::uuid)
                    ORDER BY id
                    LIMIT $7
                      FOR UPDATE)
      RETURNING id::text AS id`,
    [...selectionFilterParams(selection), afterId, batchSize],
  );
  return rows.map((r) => r.id);
}
