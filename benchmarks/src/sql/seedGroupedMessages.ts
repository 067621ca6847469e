import type pg from 'pg';
import { FILLER_BYTES } from './seedMessages.js';

/**
 * Inserts `count` pending outbox rows spread over `groups` interleaved group keys (`g-0`, `g-1`, …, in
 * turn), in one statement, each with a ~500 B JSON payload.
 *
 * $1 int  count
 * $2 int  groups
 * $3 int  filler bytes
 */
export async function seedGroupedMessages(pool: pg.Pool, table: string, count: number, groups: number): Promise<void> {
  await pool.query(
    `INSERT INTO ${table} (id, subject, payload, group_key)
     SELECT gen_random_uuid(), 'bench.order.step', jsonb_build_object('n', g, 'data', repeat('x', $3)), 'g-' || (g % $2)
       FROM generate_series(1, $1::int) AS g`,
    [count, groups, FILLER_BYTES],
  );
}
