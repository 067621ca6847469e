import type pg from 'pg';
import { FILLER_BYTES } from './seedMessages.js';

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// LAYOUT-SPECIFIC: the one place worst-day writes the outbox table's columns itself. It stores rows
// exactly as today's `markRetry` leaves them (claimed once, lease cleared, `available_at` in the
// future, `last_error` set), because a million rows through insertOutboxMessages + claim + markRetry
// takes minutes, one statement takes seconds. A new layout adapts this statement and nothing else.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Inserts `count` pending rows of `subject` backing off for `delayMs` (a broken route whose every
 * publish failed once), ~500 B payload each, in one statement; then VACUUM ANALYZE, as autovacuum
 * would have done by the time a million rows have piled up.
 *
 * $1 int     count
 * $2 text    subject
 * $3 int     filler bytes
 * $4 float8  delay in ms
 * $5 text    last error
 */
export async function seedBackingOff(pool: pg.Pool, table: string, count: number, subject: string, delayMs: number): Promise<void> {
  await pool.query(
    `INSERT INTO ${table} (id, subject, payload, attempts, available_at, last_error)
     SELECT gen_random_uuid(), $2, jsonb_build_object('n', g, 'kind', 'order.created', 'data', repeat('x', $3)),
            1, now() + $4::float8 * interval '1 millisecond', $5
       FROM generate_series(1, $1::int) AS g`,
    [count, subject, FILLER_BYTES, delayMs, 'bench: the route is broken (AuthorizationError)'],
  );
  await pool.query(`VACUUM ANALYZE ${table}`);
}
