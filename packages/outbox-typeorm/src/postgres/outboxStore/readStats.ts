import type { OutboxStats } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Backlog figures in one statement. No parameters.
 *
 * The pending figures come from one pass over the partial pending index, so they cost the same
 * with millions of sent rows; `dead` counts over the partial dead index. The oldest pending age
 * counts from `created_at` (when the producer wrote it), so a delayed or backing-off message ages too.
 */
export async function readStats(db: SqlExecutor, table: string): Promise<OutboxStats> {
  const { rows } = await db.query<{ pending: string; in_flight: string; oldest_ms: string | null; dead: string }>(
    `SELECT p.pending, p.in_flight, p.oldest_ms,
            (SELECT count(*) FROM ${table} WHERE dead_at IS NOT NULL) AS dead
       FROM (SELECT count(*) AS pending,
                    count(*) FILTER (WHERE locked_until >= now()) AS in_flight,
                    floor(extract(epoch FROM now() - min(created_at)) * 1000) AS oldest_ms
               FROM ${table}
              WHERE sent_at IS NULL AND dead_at IS NULL) AS p`,
  );
  const row = rows[0]!;
  return {
    pending: Number(row.pending),
    oldestPendingAgeMs: row.oldest_ms === null ? null : Math.max(0, Number(row.oldest_ms)),
    inFlight: Number(row.in_flight),
    dead: Number(row.dead),
  };
}
