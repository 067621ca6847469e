import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import { type CreatedWindow, windowParams, windowRowsSql } from './createdWindow.js';

/** Messages of one subject created in the last hour and day that are sent (estimates when the window was sampled). */
export interface SubjectSent {
  subject: string;
  lastHour: number;
  lastDay: number;
}

/**
 * Sent messages per subject among the rows created in the last day and hour, read from the day's
 * window (createdWindow.ts: exact up to its row limit, else a sample scaled by its weight).
 *
 * $1..$3 the window, $4 a day ago, $5 an hour ago (both by the database's clock, read by the caller).
 */
export async function readSentBySubject(db: SqlExecutor, table: string, window: CreatedWindow, dayAgo: Date, hourAgo: Date): Promise<SubjectSent[]> {
  if (window.rows === 0) return [];
  const { rows } = await db.query<{ subject: string; day: string; hour: string }>(
    `SELECT subject,
            count(*) FILTER (WHERE sent_at IS NOT NULL AND created_at >= $4::timestamptz)::text AS day,
            count(*) FILTER (WHERE sent_at IS NOT NULL AND created_at >= $5::timestamptz)::text AS hour
       FROM ${windowRowsSql(table, window, 'subject, created_at, sent_at')} AS r
      GROUP BY subject`,
    [...windowParams(window), dayAgo, hourAgo],
  );
  return rows
    .map((r) => ({ subject: r.subject, lastDay: Math.round(Number(r.day) * window.weight), lastHour: Math.round(Number(r.hour) * window.weight) }))
    .filter((r) => r.lastDay > 0);
}
