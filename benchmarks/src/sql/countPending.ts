import type pg from 'pg';

/** Rows neither sent nor dead. No parameters. */
export async function countPending(pool: pg.Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE sent_at IS NULL AND dead_at IS NULL`);
  return rows[0]!.n;
}
