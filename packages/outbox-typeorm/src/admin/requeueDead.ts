import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from '../postgres/outboxStore/messageSelection.js';
import type { DeadCursor } from './DeadCursor.js';

/**
 * One batch of a requeue: puts up to `batchSize` dead-lettered messages matching the selection, after
 * `cursor` in `(dead_at, seq)` order, back in the queue as if new (`dead_at` and `last_error` cleared,
 * `attempts` reset, waiting and due now). Returns how many and the cursor of the last one; the caller
 * continues from it until a batch comes back short.
 *
 * $1..$7 the selection filter (ids, subject, prefix, since, until, group key, fingerprint), $8/$9 the
 * cursor (dead_at, seq), $10 batch size.
 *
 * Batches walk the dead index, so the whole requeue reads each dead letter once, however many there
 * are, and one that dies again meanwhile sorts after the cursor only if it matches again. Plain FOR
 * UPDATE (not SKIP LOCKED): an operator's command should wait for a row another statement holds rather
 * than silently leave it out.
 */
export async function requeueDead(db: SqlExecutor, table: string, selection: MessageSelection, cursor: DeadCursor, batchSize: number): Promise<{ count: number; cursor: DeadCursor | undefined }> {
  const { rows } = await db.query<{ n: string; dead_at: Date | null; seq: string | null }>(
    `WITH picked AS MATERIALIZED (
       SELECT slot, id, dead_at, seq FROM ${table}
        WHERE dead_at IS NOT NULL AND ${selectionFilterSql(1)}
          AND (dead_at, seq) > ($8::timestamptz, $9::bigint)
        ORDER BY dead_at, seq
        LIMIT $10
          FOR UPDATE
     ), done AS (
       UPDATE ${table} AS o
          SET dead_at = NULL, last_error = NULL, attempts = 0, available_at = now(), locked_by = NULL, locked_until = NULL
         FROM picked AS p
        WHERE o.slot = p.slot AND o.id = p.id
       RETURNING 1
     ), last AS (SELECT dead_at, seq FROM picked ORDER BY dead_at DESC, seq DESC LIMIT 1)
     SELECT (SELECT count(*) FROM done) AS n, (SELECT dead_at FROM last) AS dead_at, (SELECT seq FROM last)::text AS seq`,
    [...selectionFilterParams(selection), cursor.deadAt, cursor.seq.toString(), batchSize],
  );
  const row = rows[0]!;
  return { count: Number(row.n), cursor: row.dead_at === null ? undefined : { deadAt: row.dead_at, seq: BigInt(row.seq!) } };
}
