import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import { type CreatedWindow, windowParams, windowRowsSql } from './createdWindow.js';

/** One minute of publishing: messages sent in it, and the median time from insert to sent mark. */
export interface PublishMinute {
  /** Start of the minute (ms since the epoch, the database's clock). */
  at: number;
  sent: number;
  /** Median `sent_at - created_at` of the messages sent in that minute, in seconds. */
  lagSeconds: number;
}

/**
 * Sent messages per minute since `since`, with their median lag (commit → sent; `created_at` is when
 * the producer's transaction began), from the window of rows created since then (createdWindow.ts:
 * exact up to its row limit, else a sample scaled by its weight). A message created before the window
 * and sent in it is not counted.
 *
 * $1..$3 the window, $4 since.
 */
export async function readPublishSeries(db: SqlExecutor, table: string, window: CreatedWindow, since: Date): Promise<PublishMinute[]> {
  if (window.rows === 0) return [];
  const { rows } = await db.query<{ at: string; sent: string; lag: number }>(
    `SELECT (extract(epoch FROM date_trunc('minute', sent_at)) * 1000)::bigint::text AS at, count(*)::text AS sent,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at)::float8) AS lag
       FROM ${windowRowsSql(table, window, 'created_at, sent_at')} AS r
      WHERE sent_at >= $4::timestamptz
      GROUP BY 1 ORDER BY 1`,
    [...windowParams(window), since],
  );
  return rows.map((r) => ({ at: Number(r.at), sent: Math.round(Number(r.sent) * window.weight), lagSeconds: Math.max(0, Number(r.lag)) }));
}
