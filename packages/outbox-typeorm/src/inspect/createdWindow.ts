import { firstSeqAtOrAfter } from '../admin/seqRangeOfSelection.js';
import type { SqlExecutor } from '../postgres/SqlExecutor.js';

/**
 * The rows created since a time, as a `seq` range `[from, to)`, and how to read them: every row when
 * there are at most `maxRows`, else `maxRows` rows spread evenly over the range (one `seq` index
 * descent each), each standing for `weight` rows. So a figure over the last day costs the same with
 * 10,000 or 10 million rows in it; beyond `maxRows` it is an estimate.
 */
export interface CreatedWindow {
  from: bigint;
  to: bigint;
  /** Rows to read: the whole range, or the sample size. */
  rows: number;
  /** Rows each read row stands for (1 when exact). */
  weight: number;
  exact: boolean;
}

/**
 * Finds the window's `seq` range by binary search on the `seq` index (seqRangeOfSelection.ts: `seq`
 * follows insert order, and so `created_at`, but for transactions that ran long).
 *
 * $1..$2 of each probe: see firstSeqAtOrAfter.
 */
export async function createdWindow(db: SqlExecutor, table: string, since: Date, maxRows: number): Promise<CreatedWindow> {
  const { rows } = await db.query<{ lo: string | null; hi: string | null }>(`SELECT min(seq)::text AS lo, max(seq)::text AS hi FROM ${table}`);
  if (rows[0]?.lo == null) return { from: 0n, to: 0n, rows: 0, weight: 1, exact: true };
  const hi = BigInt(rows[0].hi!) + 1n;
  const from = await firstSeqAtOrAfter(db, table, since, BigInt(rows[0].lo), hi);
  const span = Number(hi - from);
  if (span <= maxRows) return { from, to: hi, rows: span, weight: 1, exact: true };
  return { from, to: hi, rows: maxRows, weight: span / maxRows, exact: false };
}

/**
 * A FROM item reading a window's rows (`columns` of them): the whole range, or one row at or after
 * each of `$3` probes spread evenly over it.
 *
 * $1 from, $2 to (exclusive), $3 rows to read.
 */
export function windowRowsSql(table: string, window: CreatedWindow, columns: string): string {
  if (window.exact) return `(SELECT ${columns} FROM ${table} WHERE seq >= $1::bigint AND seq < $2::bigint AND $3::int >= 0)`;
  return `(SELECT o.* FROM generate_series(0, $3::int - 1) AS g(i)
            CROSS JOIN LATERAL (SELECT ${columns} FROM ${table}
                                 WHERE seq >= $1::bigint + ($2::bigint - $1::bigint) * g.i / $3::int AND seq < $2::bigint
                                 ORDER BY seq LIMIT 1) AS o)`;
}

/** The parameters of {@link windowRowsSql}. */
export function windowParams(window: CreatedWindow): [string, string, number] {
  return [window.from.toString(), window.to.toString(), window.rows];
}
