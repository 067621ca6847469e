import type { OutboxMessage } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';
import { DRAWN_SEQ as drawnSeq } from './drawnSeq.js';
import { CLAIMED_COLUMNS, type ClaimedRow, toOutboxMessage } from './claimedMessage.js';
import type { ClaimObservation } from './ClaimWatermark.js';
import { dueLane, freshLane } from './claimLanes.js';

export interface ClaimArgs {
  relayId: string;
  limit: number;
  leaseMs: number;
  /** The watermark: rows that never waited are taken above it only (ClaimWatermark.ts). */
  low: bigint;
}

/** A claim's rows and what it observed for the watermark. */
export interface ClaimResult {
  messages: OutboxMessage[];
  observation: ClaimObservation;
  /** Messages the ordered claim parked behind their group's waiting head (0 for the plain claim). */
  parked: number;
}

/** The row of the claim's meta-data, joined to every claimed row (and alone when none was claimed). */
export interface ClaimMetaRow {
  hw: string;
  snap: string;
  fresh_full: boolean;
  fresh_max: string | null;
  parked?: string | number;
}

/**
 * Claims up to `limit` messages and leases them to `relayId`: due waiting rows (`due`, at most half the
 * batch, so a backlog of retries never starves new messages, nor new messages the retries), then rows
 * that never waited in `seq` order above the watermark (`fresh`), then more due rows if room is left
 * (`due_more`, after the last of `due` in the index's order).
 *
 * $1 relay id (locked_by), $2 limit, $3 limit of due waiting rows, $4 low watermark, $5 lease in ms.
 *
 * Why it looks like this:
 * - One statement: the locking SELECTs and the UPDATE that writes the lease commit together.
 * - `FOR UPDATE SKIP LOCKED`: relays claiming at the same moment skip each other's rows; a row another
 *   relay has just leased is re-checked against its committed version and dropped, so no row is handed
 *   to two live leases.
 * - `seq > $4` on the plain `seq` index: the walk starts at the watermark, so rows claimed and marked
 *   before it (and their dead versions, which a held xmin horizon keeps) are never read again.
 * - The waiting lane is the `(available_at, seq)` partial index: only rows due now are read, however many
 *   wait behind them. A row claimed from it gets the lease's end as `available_at`, so if its relay
 *   dies it is simply due again then.
 * - The lease of a row that never waited touches no indexed column: a heap-only update. The rows are
 *   updated by `id = ANY (ARRAY(…))`, which always finds them through the primary key (a join with the
 *   CTE may be planned as a scan of a small slot).
 * - It reports the sequence's high-water mark and its snapshot, from which ClaimWatermark.ts moves
 *   the watermark (and whether the walk took all it asked for, with the last `seq` it took).
 */
export async function claimMessages(db: SqlExecutor, table: string, seqSequence: string, args: ClaimArgs): Promise<ClaimResult> {
  const dueLimit = Math.ceil(args.limit / 2);
  const { rows } = await db.query<ClaimMetaRow & Partial<ClaimedRow>>(
    `WITH due AS MATERIALIZED (
       ${dueLane(table, 'o.slot, o.id, o.available_at, o.seq')}
     ), fresh AS MATERIALIZED (
       ${freshLane(table, 'o.slot, o.id, o.seq', '$2::int - (SELECT count(*) FROM due)')}
     ), last_due AS (
       SELECT available_at, seq FROM due ORDER BY available_at DESC, seq DESC LIMIT 1
     ), due_more AS MATERIALIZED (
       SELECT o.slot, o.id
         FROM ${table} AS o
        WHERE o.available_at <= now() AND o.sent_at IS NULL AND o.dead_at IS NULL
          AND (o.locked_until IS NULL OR o.locked_until < now())
          AND (o.available_at, o.seq) > (coalesce((SELECT available_at FROM last_due), '-infinity'), coalesce((SELECT seq FROM last_due), 0))
        ORDER BY o.available_at, o.seq
        LIMIT $2::int - (SELECT count(*) FROM due) - (SELECT count(*) FROM fresh)
          FOR UPDATE OF o SKIP LOCKED
     ), claimed AS (
       UPDATE ${table} AS o
          SET locked_by = $1,
              locked_until = now() + $5::float8 * interval '1 millisecond',
              attempts = o.attempts + 1,
              available_at = CASE WHEN o.available_at IS NULL THEN NULL ELSE now() + $5::float8 * interval '1 millisecond' END
        WHERE o.id = ANY (ARRAY(SELECT id FROM due UNION ALL SELECT id FROM fresh UNION ALL SELECT id FROM due_more))
       RETURNING o.*
     ), meta AS (
       SELECT (SELECT ${drawnSeq} FROM ${seqSequence})::text AS hw,
              pg_current_snapshot()::text AS snap,
              (SELECT count(*) FROM fresh) >= $2::int - (SELECT count(*) FROM due) AS fresh_full,
              (SELECT max(seq) FROM fresh)::text AS fresh_max
     )
     SELECT meta.hw, meta.snap, meta.fresh_full, meta.fresh_max, ${CLAIMED_COLUMNS}
       FROM meta LEFT JOIN claimed ON true
      ORDER BY claimed.seq`,
    [args.relayId, args.limit, dueLimit, args.low.toString(), args.leaseMs],
  );
  return readClaim(rows);
}

/** Splits a claim's result into its messages and its observation (shared with the ordered claim). */
export function readClaim(rows: readonly (ClaimMetaRow & Partial<ClaimedRow>)[]): ClaimResult {
  const meta = rows[0]!;
  return {
    messages: rows.filter((r) => r.id != null).map((r) => toOutboxMessage(r as ClaimedRow)),
    observation: {
      hw: BigInt(meta.hw),
      snapshot: meta.snap,
      reach: meta.fresh_full && meta.fresh_max !== null ? BigInt(meta.fresh_max) : undefined,
    },
    parked: Number(meta.parked ?? 0),
  };
}
