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
 * The lowest `seq` in `[lo, hi)` from which rows were created at or after `time` (binary search on the
 * `seq` index, reading the first row at or after each probe), or `hi`.
 *
 * $1 the probe, $2 hi.
 */
export async function firstSeqAtOrAfter(db: SqlExecutor, table: string, time: Date, lo: bigint, hi: bigint): Promise<bigint> {
  while (lo < hi) {
    const mid = lo + (hi - lo) / 2n;
    const { rows } = await db.query<{ seq: string; created_at: Date }>(
      `SELECT seq::text AS seq, created_at FROM ${table} WHERE seq >= $1::bigint AND seq < $2::bigint ORDER BY seq LIMIT 1`,
      [mid.toString(), hi.toString()],
    );
    const row = rows[0];
    if (row === undefined) hi = mid; // nothing in [mid, hi): the answer is below mid, or mid itself
    else if (row.created_at >= time) hi = BigInt(row.seq);
    else lo = BigInt(row.seq) + 1n;
  }
  return lo;
}
