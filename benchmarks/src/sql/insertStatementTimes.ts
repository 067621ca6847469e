import type pg from 'pg';

/** PostgreSQL's execution time of the inserts publisher-scale sends, per statement kind. */
export interface InsertStatementTimes {
  /** The library's insert (both notify settings: one statement text). */
  library: { calls: number; meanMs: number };
  /** The hand-written one-row insert (the floor). */
  floor: { calls: number; meanMs: number };
  /** The business row. */
  business: { calls: number; meanMs: number };
}

/**
 * Calls and mean execution time (pg_stat_statements, since its last reset) of the inserts run in the
 * current database, grouped by who sends them: the library's (its text holds `unnest`), the floor's
 * (`INSERT INTO outbox (id, subject, payload)`) and the business insert (`bench_order`). No parameters.
 */
export async function insertStatementTimes(pool: pg.Pool): Promise<InsertStatementTimes> {
  const { rows } = await pool.query<{ kind: keyof InsertStatementTimes; calls: number; meanMs: number }>(
    `SELECT kind, sum(calls)::float8 AS calls, (sum(total_exec_time) / nullif(sum(calls), 0))::float8 AS "meanMs"
       FROM (SELECT calls, total_exec_time,
                    CASE WHEN query ILIKE '%unnest%' AND query ILIKE '%INSERT INTO%' THEN 'library'
                         WHEN query ILIKE 'INSERT INTO outbox (id, subject, payload)%' THEN 'floor'
                         WHEN query ILIKE 'INSERT INTO%bench_order%' THEN 'business' END AS kind
               FROM pg_stat_statements
              WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())) AS s
      WHERE kind IS NOT NULL
      GROUP BY kind`,
  );
  const none = { calls: 0, meanMs: 0 };
  const byKind = new Map(rows.map((r) => [r.kind, { calls: r.calls, meanMs: r.meanMs ?? 0 }]));
  return { library: byKind.get('library') ?? none, floor: byKind.get('floor') ?? none, business: byKind.get('business') ?? none };
}
