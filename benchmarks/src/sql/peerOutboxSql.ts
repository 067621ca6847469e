import type pg from 'pg';
import { FILLER_BYTES } from './seedMessages.js';

/**
 * Fills pg-transactional-outbox's table with `count` pending messages shaped like ours (~500 B payload).
 * `concurrency = 'parallel'` lets its polling function hand out many messages at once (with the
 * default, 'sequential', it hands out one message per segment at a time).
 *
 * $1 int  count
 * $2 int  filler bytes
 */
export async function seedPeerOutbox(pool: pg.Pool, table: string, count: number): Promise<void> {
  await pool.query(
    `INSERT INTO ${table} (id, aggregate_type, aggregate_id, message_type, concurrency, payload)
     SELECT gen_random_uuid(), 'order', g::text, 'order.created', 'parallel',
            jsonb_build_object('n', g, 'kind', 'order.created', 'data', repeat('x', $2))
       FROM generate_series(1, $1::int) AS g`,
    [count, FILLER_BYTES],
  );
  await pool.query(`VACUUM ANALYZE ${table}`);
}

/** Pending (neither processed nor abandoned) messages in the peer's table. No parameters. */
export async function countPeerPending(pool: pg.Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE processed_at IS NULL AND abandoned_at IS NULL`);
  return rows[0]!.n;
}

/** Epoch ms of the last `processed_at`. No parameters. */
export async function lastPeerProcessedAtMs(pool: pg.Pool, table: string): Promise<number | null> {
  const { rows } = await pool.query<{ ms: number | null }>(`SELECT (extract(epoch FROM max(processed_at)) * 1000)::float8 AS ms FROM ${table}`);
  return rows[0]!.ms;
}
