import type pg from 'pg';

/** The server's work for one database over a span: statements run and their execution time. */
export interface StatementStats {
  /** Where the figures come from: pg_stat_statements when loaded, else pg_stat_database (transactions only). */
  source: 'pg_stat_statements' | 'pg_stat_database';
  statements: number;
  /** Execution time (planning excluded), ms; 0 from pg_stat_database, which does not keep it. */
  execMs: number;
  /** Committed transactions (pg_stat_database.xact_commit). */
  transactions: number;
}

/** pg_stat_statements when the server preloads it (the full run does), so figures can be per statement. */
export async function hasStatementStats(pool: pg.Pool): Promise<boolean> {
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await pool.query('SELECT 1 FROM pg_stat_statements LIMIT 1');
    return true;
  } catch {
    return false;
  }
}

/** Zeroes pg_stat_statements (whole server) and this database's counters. No parameters. */
export async function resetStatementStats(pool: pg.Pool, withStatements: boolean): Promise<void> {
  if (withStatements) await pool.query('SELECT pg_stat_statements_reset()');
  await pool.query('SELECT pg_stat_reset()');
}

/**
 * Statements and execution time in the current database since the reset, leaving out the bench's own
 * queries (its completion poll and the statistics reads), which all name `count(*)`, `max(sent_at)`
 * or a pg_stat view. The relay's BEGIN/COMMIT count as statements (track_utility is on by default).
 */
export async function readStatementStats(pool: pg.Pool, withStatements: boolean): Promise<StatementStats> {
  const { rows: db } = await pool.query<{ transactions: number }>(
    'SELECT xact_commit::float8 AS transactions FROM pg_stat_database WHERE datname = current_database()',
  );
  const transactions = db[0]!.transactions;
  if (!withStatements) return { source: 'pg_stat_database', statements: transactions, execMs: 0, transactions };
  const { rows } = await pool.query<{ statements: number; execMs: number }>(
    `SELECT coalesce(sum(calls), 0)::float8 AS statements, coalesce(sum(total_exec_time), 0)::float8 AS "execMs"
       FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT ILIKE '%count(*)%' AND query NOT ILIKE '%max(sent_at)%' AND query NOT ILIKE '%pg\\_stat%'`,
  );
  return { source: 'pg_stat_statements', ...rows[0]!, transactions };
}
