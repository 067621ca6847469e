import type pg from 'pg';

/** Bytes of filler in each seeded payload, so a message (payload + attributes) is about 500 B. */
export const FILLER_BYTES = 440;

/**
 * Inserts `count` outbox rows in one statement (generate_series, no client round trips per row),
 * each with a ~500 B JSON payload (or `fillerBytes` of filler); `sent` rows are inserted already sent (history, for poll-cost).
 *
 * $1 int   count
 * $2 text  subject
 * $3 int   filler bytes
 * $4 bool  insert as sent
 * $5 bool  with a W3C traceparent header, as a publisher with tracing on stores (a distinct trace per row)
 */
export async function seedMessages(
  pool: pg.Pool,
  table: string,
  count: number,
  options: { sent?: boolean; subject?: string; traceparent?: boolean; fillerBytes?: number } = {},
): Promise<void> {
  await pool.query(
    `INSERT INTO ${table} (id, subject, payload, sent_at, headers)
     SELECT gen_random_uuid(), $2, jsonb_build_object('n', g, 'kind', 'order.created', 'data', repeat('x', $3)),
            CASE WHEN $4 THEN now() END,
            CASE WHEN $5 THEN jsonb_build_object('traceparent', '00-' || md5(g::text) || '-' || left(md5('s' || g), 16) || '-01') ELSE '{}' END
       FROM generate_series(1, $1::int) AS g`,
    [count, options.subject ?? 'bench.order.created', options.fillerBytes ?? FILLER_BYTES, options.sent ?? false, options.traceparent ?? false],
  );
  // Fresh statistics and visibility map: every contender starts from the same, settled table.
  await pool.query(`VACUUM ANALYZE ${table}`);
}
