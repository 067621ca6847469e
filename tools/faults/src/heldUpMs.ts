import type pg from 'pg';

// $1 double precision fault start (epoch ms), $2 double precision fault end (epoch ms), $3 text subject (null: every subject)
const HELD_UP_MS = `SELECT coalesce(extract(epoch FROM max(sent_at - created_at)) * 1000, 0) AS ms
  FROM outbox WHERE created_at BETWEEN to_timestamp($1 / 1000.0) AND to_timestamp($2 / 1000.0) AND sent_at IS NOT NULL
   AND ($3::text IS NULL OR subject = $3::text)`;

/**
 * How long healthy traffic was held up by a fault: the longest commit→publish wait (both times from the
 * database's clock) of the messages committed while it lasted, of one subject when `subject` is given.
 */
export async function heldUpMs(pool: pg.Pool, fault: { startedAt: number; endedAt: number }, subject?: string): Promise<number> {
  return Math.round(Number((await pool.query(HELD_UP_MS, [fault.startedAt, fault.endedAt, subject ?? null])).rows[0].ms));
}
