import type pg from 'pg';

// $1 double precision fault start (epoch ms), $2 double precision fault end (epoch ms)
const HELD_UP_MS = `SELECT coalesce(extract(epoch FROM max(sent_at - created_at)) * 1000, 0) AS ms
  FROM outbox WHERE created_at BETWEEN to_timestamp($1 / 1000.0) AND to_timestamp($2 / 1000.0) AND sent_at IS NOT NULL`;

/**
 * How long healthy traffic was held up by a fault: the longest commit→publish wait (both times from the
 * database's clock) of the messages committed while it lasted.
 */
export async function heldUpMs(pool: pg.Pool, fault: { startedAt: number; endedAt: number }): Promise<number> {
  return Math.round(Number((await pool.query(HELD_UP_MS, [fault.startedAt, fault.endedAt])).rows[0].ms));
}
