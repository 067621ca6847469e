import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import { type MessageSelection, selectionFilterParams, selectionFilterSql } from '../postgres/outboxStore/messageSelection.js';

/**
 * One batch of a republish (replay): makes up to `batchSize` sent messages matching the selection with
 * `seq` in `(after, to)` pending again, as if new: `sent_at` cleared, `attempts` reset, waiting and due
 * now. Each keeps its id (so consumers deduplicating on the outbox id see a duplicate) and its `seq`
 * (its place in its group). Returns how many and the `seq` of the last; the caller continues after it
 * until a batch comes back short.
 *
 * $1..$7 the selection filter (ids, subject, prefix, since, until, group key, fingerprint), $8 after
 * (exclusive), $9 to (exclusive), $10 batch size.
 *
 * Batches walk the `seq` index, so a message the relay publishes again while the republish runs is
 * never picked up a second time. Plain FOR UPDATE waits for a row a claim or mark holds.
 */
export async function republishSent(db: SqlExecutor, table: string, selection: MessageSelection, after: bigint, to: bigint, batchSize: number): Promise<{ count: number; last: bigint | undefined }> {
  const { rows } = await db.query<{ n: string; last: string | null }>(
    `WITH picked AS MATERIALIZED (
       SELECT slot, id, seq FROM ${table}
        WHERE seq > $8::bigint AND seq < $9::bigint AND sent_at IS NOT NULL AND ${selectionFilterSql(1)}
        ORDER BY seq
        LIMIT $10
          FOR UPDATE
     ), done AS (
       UPDATE ${table} AS o
          SET sent_at = NULL, attempts = 0, available_at = now(), last_error = NULL, locked_by = NULL, locked_until = NULL
         FROM picked AS p
        WHERE o.slot = p.slot AND o.id = p.id
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM done) AS n, (SELECT max(seq) FROM picked)::text AS last`,
    [...selectionFilterParams(selection), after.toString(), to.toString(), batchSize],
  );
  const row = rows[0]!;
  return { count: Number(row.n), last: row.last === null ? undefined : BigInt(row.last) };
}
