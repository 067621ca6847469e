import type pg from 'pg';

/** Epoch ms of the latest `sent_at` (when the last message of a drain was marked), or null. No parameters. */
export async function lastSentAtMs(pool: pg.Pool, table: string): Promise<number | null> {
  const { rows } = await pool.query<{ ms: number | null }>(`SELECT (extract(epoch FROM max(sent_at)) * 1000)::float8 AS ms FROM ${table}`);
  return rows[0]!.ms;
}
