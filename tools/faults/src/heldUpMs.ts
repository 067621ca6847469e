import type pg from 'pg';

// $1 double precision fault start (epoch ms), $2 double precision fault end (epoch ms), $3 text subject (null: every subject)
const HELD_UP_MS = `SELECT coalesce(extract(epoch FROM max(sent_at - greatest(created_at, to_timestamp($1 / 1000.0)))) * 1000, 0) AS ms
  FROM outbox WHERE sent_at >= to_timestamp($1 / 1000.0) AND created_at <= to_timestamp($2 / 1000.0)
   AND ($3::text IS NULL OR subject = $3::text)`;

/**
 * How long healthy traffic was held up by a fault: the longest wait for publication (both times from
 * the database's clock) of the messages committed while it lasted, or still waiting when it began
 * (counted from its start), of one subject when `subject` is given. So a fault of an instant (a
 * restart, a failover) is measured by the messages it caught in flight.
 */
export async function heldUpMs(pool: pg.Pool, fault: { startedAt: number; endedAt: number }, subject?: string): Promise<number> {
  return Math.round(Number((await pool.query(HELD_UP_MS, [fault.startedAt, fault.endedAt, subject ?? null])).rows[0].ms));
}
