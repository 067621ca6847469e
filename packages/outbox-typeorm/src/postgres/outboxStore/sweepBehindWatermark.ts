import type { SqlExecutor } from '../SqlExecutor.js';

/** What one sweep found. */
export interface SweepResult {
  /** Rows moved to the waiting lane: expired leases, and rows a failed claim had locked. */
  recovered: number;
  /** The first `seq` in the span still leased, if any (the mark behind the span stops just below it). */
  firstLeased: bigint | undefined;
}

/**
 * Walks a span behind the claim's watermark, `(from, to]` (ClaimWatermark.ts: the rows claimed and not
 * yet marked), and moves every row there that is pending, never waited and not leased — its lease
 * expired (its relay died or stalled), or a claim that had locked it failed, or it was committed by a
 * long transaction after the watermark passed it — to the waiting lane, due now, so the next claim
 * takes it. Clears an expired lease, so the late relay's marks match nothing.
 *
 * $1 from (exclusive), $2 to (inclusive).
 *
 * Rows another statement holds (a mark, a claim) are skipped, not waited for: they are being finished,
 * and a plain UPDATE over the span locked them in another order than the marks did (deadlock 40P01,
 * seen in the relay-throughput bench). A row skipped and still lost is taken by the next sweep.
 *
 * The regular span is the rows in flight, a few hundred, walked on the `seq` index.
 */
export async function sweepBehindWatermark(db: SqlExecutor, table: string, from: bigint, to: bigint): Promise<SweepResult> {
  const { rows } = await db.query<{ first_leased: string | null; recovered: number }>(
    `WITH picked AS (
       SELECT slot, id FROM ${table}
        WHERE seq > $1::bigint AND seq <= $2::bigint
          AND available_at IS NULL AND sent_at IS NULL AND dead_at IS NULL
          AND (locked_until IS NULL OR locked_until < now())
          FOR UPDATE SKIP LOCKED
     ), lost AS (
       UPDATE ${table} AS o
          SET available_at = now(), locked_by = NULL, locked_until = NULL
         FROM picked AS p
        WHERE o.slot = p.slot AND o.id = p.id
       RETURNING 1
     )
     SELECT (SELECT min(seq) FROM ${table}
              WHERE seq > $1::bigint AND seq <= $2::bigint
                AND available_at IS NULL AND sent_at IS NULL AND dead_at IS NULL
                AND locked_until >= now())::text AS first_leased,
            (SELECT count(*) FROM lost)::int AS recovered`,
    [from.toString(), to.toString()],
  );
  const row = rows[0]!;
  return { recovered: Number(row.recovered), firstLeased: row.first_leased === null ? undefined : BigInt(row.first_leased) };
}
