import type pg from 'pg';

/** Commit → publish lag of the rows sent in a time window, ms. */
export interface PublishLag {
  messages: number;
  p50: number;
  p99: number;
}

/**
 * `sent_at − created_at` of the rows marked sent in the last `windowMs`. `created_at` is the
 * inserting transaction's start (`now()`), so the figure includes that transaction (a few ms); both
 * times come from the server's clock. Rows still present only: keep the window shorter than retention.
 * $1 float8  window in ms
 */
export async function publishLag(pool: pg.Pool, table: string, windowMs: number): Promise<PublishLag> {
  const { rows } = await pool.query<PublishLag>(
    `SELECT count(*)::float8 AS messages,
            coalesce(percentile_disc(0.5) WITHIN GROUP (ORDER BY lag_ms), 0) AS p50,
            coalesce(percentile_disc(0.99) WITHIN GROUP (ORDER BY lag_ms), 0) AS p99
       FROM (SELECT (extract(epoch FROM sent_at - created_at) * 1000)::float8 AS lag_ms
               FROM ${table}
              WHERE sent_at > now() - $1::float8 * interval '1 millisecond') AS recent`,
    [windowMs],
  );
  return rows[0]!;
}
