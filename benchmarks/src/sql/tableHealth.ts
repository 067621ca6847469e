import type pg from 'pg';

/** Size and upkeep of one table at a moment: what the soak samples every interval. */
export interface TableHealth {
  pendingRows: number;
  heapBytes: number;
  indexBytes: number;
  /** Heap + indexes + TOAST. */
  totalBytes: number;
  liveTuples: number;
  deadTuples: number;
  autovacuumRuns: number;
  autoanalyzeRuns: number;
}

/**
 * Sizes from the relation files, tuple counts and autovacuum runs from pg_stat_user_tables (the
 * cumulative statistics, flushed by backends about once a second, so a sample may lag by that).
 * $1 text  the table's (quoted) name, as `regclass` reads it
 */
export async function tableHealth(pool: pg.Pool, table: string): Promise<TableHealth> {
  const { rows } = await pool.query<TableHealth>(
    `SELECT (SELECT count(*) FROM ${table} WHERE sent_at IS NULL AND dead_at IS NULL)::float8 AS "pendingRows",
            pg_relation_size($1::regclass)::float8 AS "heapBytes",
            pg_indexes_size($1::regclass)::float8 AS "indexBytes",
            pg_total_relation_size($1::regclass)::float8 AS "totalBytes",
            s.n_live_tup::float8 AS "liveTuples",
            s.n_dead_tup::float8 AS "deadTuples",
            s.autovacuum_count::float8 AS "autovacuumRuns",
            s.autoanalyze_count::float8 AS "autoanalyzeRuns"
       FROM pg_stat_user_tables s
      WHERE s.relid = $1::regclass`,
    [table],
  );
  return rows[0]!;
}
