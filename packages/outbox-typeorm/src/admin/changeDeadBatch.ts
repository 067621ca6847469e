import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from '../postgres/outboxStore/messageSelection.js';
import type { DeadCursor } from './DeadCursor.js';

/**
 * One batch of an operator's change to dead letters (requeue, purge): picks up to `batchSize`
 * dead-lettered messages matching the selection, after `cursor` in `(dead_at, seq)` order, applies
 * `change` to them and returns how many it changed and the cursor of the last one picked. The caller
 * continues from it until a batch comes back short.
 *
 * `change` is one data-modifying statement over `${table} AS o` joined to `picked AS p` on
 * `(slot, id)`, ending in `RETURNING 1`.
 *
 * $1..$7 the selection filter (ids, subject, prefix, since, until, group key, fingerprint), $8/$9 the
 * cursor (dead_at, seq), $10 batch size.
 *
 * Batches walk the dead index, so the whole command reads each dead letter once, however many there
 * are, and one that dies again meanwhile sorts after the cursor only if it matches again. Plain FOR
 * UPDATE (not SKIP LOCKED): an operator's command should wait for a row another statement holds rather
 * than silently leave it out.
 */
export async function changeDeadBatch(
  db: SqlExecutor,
  table: string,
  change: string,
  selection: MessageSelection,
  cursor: DeadCursor,
  batchSize: number,
): Promise<{ count: number; cursor: DeadCursor | undefined }> {
  const { rows } = await db.query<{ n: string; dead_at: Date | null; seq: string | null }>(
    `WITH picked AS MATERIALIZED (
       SELECT slot, id, dead_at, seq FROM ${table}
        WHERE dead_at IS NOT NULL AND ${selectionFilterSql(1)}
          AND (dead_at, seq) > ($8::timestamptz, $9::bigint)
        ORDER BY dead_at, seq
        LIMIT $10
          FOR UPDATE
     ), done AS (${change}),
     last AS (SELECT dead_at, seq FROM picked ORDER BY dead_at DESC, seq DESC LIMIT 1)
     SELECT (SELECT count(*) FROM done) AS n, (SELECT dead_at FROM last) AS dead_at, (SELECT seq FROM last)::text AS seq`,
    [...selectionFilterParams(selection), cursor.deadAt, cursor.seq.toString(), batchSize],
  );
  const row = rows[0]!;
  return { count: Number(row.n), cursor: row.dead_at === null ? undefined : { deadAt: row.dead_at, seq: BigInt(row.seq!) } };
}
