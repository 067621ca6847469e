import type { SqlExecutor } from '../postgres/SqlExecutor.js';

/** Dead letters per minute since a time, and whether every one was counted. */
export interface DeadSeries {
  minutes: Array<{ at: number; dead: number }>;
  complete: boolean;
}

/**
 * Messages dead-lettered per minute since `since`, from the dead index (newest first, at most `limit`
 * of them: when more died in the window, only the latest minutes are complete).
 *
 * $1 since, $2 limit (one more is read, to tell whether there were more).
 */
export async function readDeadSeries(db: SqlExecutor, table: string, since: Date, limit: number): Promise<DeadSeries> {
  const { rows } = await db.query<{ at: string | null; dead: string; total: string }>(
    `WITH d AS MATERIALIZED (
       SELECT dead_at FROM ${table} WHERE dead_at >= $1::timestamptz ORDER BY dead_at DESC, seq DESC LIMIT $2::int + 1
     )
     SELECT (extract(epoch FROM date_trunc('minute', dead_at)) * 1000)::bigint::text AS at, count(*)::text AS dead, (SELECT count(*) FROM d)::text AS total
       FROM (SELECT dead_at FROM d LIMIT $2) AS x GROUP BY 1
      ORDER BY 1`,
    [since, limit],
  );
  return { minutes: rows.map((r) => ({ at: Number(r.at), dead: Number(r.dead) })), complete: rows.length === 0 || Number(rows[0]!.total) <= limit };
}
