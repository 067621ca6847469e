import type { SqlExecutor } from '../postgres/SqlExecutor.js';
import type { MessageSelection } from '../postgres/outboxStore/messageSelection.js';

/** A `seq` range `[from, to)`. */
export interface SeqRange {
  from: bigint;
  to: bigint;
}

/**
 * How far before `since` (and after `until`) the range reaches: `created_at` is when the producer's
 * transaction began, which may precede the insert (and its `seq`) by as long as that transaction ran.
 * A message written by a transaction open longer than this is outside the range.
 */
export const TRANSACTION_MARGIN_MS = 3_600_000;

/**
 * The `seq` range a selection's `since`/`until` narrow a walk of sent messages to: `seq` follows insert
 * order, so a binary search along the `seq` index (one descent per step, about 40 steps) finds where
 * `created_at` crosses each bound. The row filter still checks `created_at` exactly; this only keeps the
 * walk from reading the whole table. Without times, the whole table.
 */
export async function seqRangeOfSelection(db: SqlExecutor, table: string, selection: MessageSelection): Promise<SeqRange> {
  const { rows } = await db.query<{ lo: string | null; hi: string | null }>(`SELECT min(seq)::text AS lo, max(seq)::text AS hi FROM ${table}`);
  if (rows[0]?.lo == null) return { from: 0n, to: 0n };
  const lo = BigInt(rows[0].lo);
  const hi = BigInt(rows[0].hi!) + 1n;
  if (selection === 'all') return { from: lo, to: hi };
  const from = selection.since ? await firstSeqAtOrAfter(db, table, new Date(selection.since.getTime() - TRANSACTION_MARGIN_MS), lo, hi) : lo;
  const to = selection.until ? await firstSeqAtOrAfter(db, table, new Date(selection.until.getTime() + TRANSACTION_MARGIN_MS), lo, hi) : hi;
  return { from, to };
}

/**
 * The lowest `seq` in `[lo, hi)` from which rows were created at or after `time`, or `hi`: a binary
 * search on the `seq` index, each step reading the first row at or after its probe, all of it in one
 * statement (a recursive query), so about 40 index descents cost one round trip.
 *
 * $1 the time, $2 lo, $3 hi.
 */
export async function firstSeqAtOrAfter(db: SqlExecutor, table: string, time: Date, lo: bigint, hi: bigint): Promise<bigint> {
  const { rows } = await db.query<{ lo: string }>(
    `WITH RECURSIVE step(lo, hi) AS (
       SELECT $2::bigint, $3::bigint
       UNION ALL
       -- Nothing in [mid, hi): the answer is below mid, or mid itself. Else the row found decides.
       SELECT CASE WHEN r.seq IS NULL OR r.created_at >= $1::timestamptz THEN s.lo ELSE r.seq + 1 END,
              CASE WHEN r.seq IS NULL THEN s.lo + (s.hi - s.lo) / 2 WHEN r.created_at >= $1::timestamptz THEN r.seq ELSE s.hi END
         FROM step AS s
         LEFT JOIN LATERAL (
           SELECT seq, created_at FROM ${table} WHERE seq >= s.lo + (s.hi - s.lo) / 2 AND seq < s.hi ORDER BY seq LIMIT 1
         ) AS r ON true
        WHERE s.lo < s.hi
     )
     SELECT lo::text AS lo FROM step WHERE lo >= hi`,
    [time, lo.toString(), hi.toString()],
  );
  return BigInt(rows[0]!.lo);
}
