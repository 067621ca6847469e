import type pg from 'pg';

export interface UnsentRow {
  id: string;
  subject: string;
  payload: string;
}

/**
 * The hand-written relay's poll: up to 1,000 unsent rows, oldest first.
 * No parameters.
 */
export async function selectUnsent(pool: pg.Pool, table: string): Promise<UnsentRow[]> {
  const { rows } = await pool.query<UnsentRow>(
    `SELECT id, subject, payload::text AS payload FROM ${table} WHERE sent_at IS NULL ORDER BY seq LIMIT 1000`,
  );
  return rows;
}

/**
 * The hand-written relay's mark, one row at a time.
 * $1 uuid  message id
 */
export async function markOneSent(pool: pg.Pool, table: string, id: string): Promise<void> {
  await pool.query(`UPDATE ${table} SET sent_at = now() WHERE id = $1`, [id]);
}
