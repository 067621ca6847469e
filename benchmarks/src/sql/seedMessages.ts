import type pg from 'pg';

/** Bytes of filler in each seeded payload, so a message (payload + attributes) is about 500 B. */
export const FILLER_BYTES = 440;

/**
 * Inserts `count` outbox rows in one statement (generate_series, no client round trips per row),
 * each with a ~500 B JSON payload; `sent` rows are inserted already sent (history, for poll-cost).
 *
 * $1 int   count
 * $2 text  subject
 * $3 int   filler bytes
 * $4 bool  insert as sent
 */
export async function seedMessages(pool: pg.Pool, table: string, count: number, options: { sent?: boolean; subject?: string } = {}): Promise<void> {
  await pool.query(
    `INSERT INTO ${table} (id, subject, payload, sent_at)
     SELECT gen_random_uuid(), $2, jsonb_build_object('n', g, 'kind', 'order.created', 'data', repeat('x', $3)),
            CASE WHEN $4 THEN now() END
       FROM generate_series(1, $1::int) AS g`,
    [count, options.subject ?? 'bench.order.created', FILLER_BYTES, options.sent ?? false],
  );
  // Fresh statistics and visibility map: every contender starts from the same, settled table.
  await pool.query(`VACUUM ANALYZE ${table}`);
}
