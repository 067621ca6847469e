import type { OutboxStats } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';
import type { OutboxNames } from '../schema/outboxNames.js';
import { DRAWN_SEQ } from './drawnSeq.js';

/**
 * Counts up to this many rows exactly; beyond, the figure is an estimate (`approximate: true`). Small,
 * so the whole statement stays within a DBA's 50 ms `statement_timeout` on a busy server.
 */
export const EXACT_COUNT_LIMIT = 1_000;

/**
 * Index entries the count of rows above the floor may walk. A floor behind a million rows backing off
 * (a store that just started, a relay whose floor waits for a sweep) would otherwise have the count walk
 * all of them to find the few that never waited.
 */
export const FRESH_WALK_LIMIT = 10 * EXACT_COUNT_LIMIT;

/**
 * Backlog figures in one statement, cheap whatever the table holds: each count of waiting or dead rows
 * reads at most {@link EXACT_COUNT_LIMIT} index entries; so does the oldest pending message among the waiting ones
 * (the oldest of the first {@link EXACT_COUNT_LIMIT} due: exact when fewer wait). Leased waiting rows
 * are counted among the first {@link EXACT_COUNT_LIMIT} waiting rows by `available_at` (a claim sets it
 * to the lease's end, so they sort ahead of longer backoffs): a filter over every waiting row would read
 * a million backing-off rows to find none.
 * Rows above the floor are counted in one walk of at most {@link FRESH_WALK_LIMIT} entries of the seq
 * index (the oldest of them too): exact when it reached the end; otherwise those that never waited are estimated from the `seq`
 * span above the floor less the waiting rows' estimate. Waiting and dead rows beyond the limit are
 * estimated from their partial indexes' row estimates (kept by autovacuum's ANALYZE).
 *
 * $1 the claim floor known to this store (ClaimWatermark.ts; the persisted one is used when higher),
 * $2 the exact-count limit, $3 the walk limit above the floor.
 *
 * Pending = waiting rows + rows above the floor that are neither finished nor waiting (everything at or
 * below the floor is finished or waiting). The oldest pending age counts from `created_at` (when the
 * producer wrote it), so a delayed or backing-off message ages too.
 */
export async function readStats(db: SqlExecutor, names: OutboxNames, floor: bigint): Promise<OutboxStats> {
  const t = names.table;
  // The floor as a scalar subquery, not a join with \`f\`: only then is it the seq index's start (a join
  // let the planner walk the index from the table's first row and filter, 2.8 s on 10 million rows).
  const unfinished = 'available_at IS NULL AND sent_at IS NULL AND dead_at IS NULL';
  const indexEstimate = (index: string) =>
    `(SELECT sum(greatest(c.reltuples, 0)) FROM pg_class AS c
       WHERE c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass('${qualified(names, index)}')))`;
  const { rows } = await db.query<{
    fresh: string; fresh_leased: string; walked: string; waiting: string; waiting_leased: string; dead: string;
    fresh_span: string; waiting_estimate: string | null; dead_estimate: string | null; oldest_ms: string | null;
  }>(
    `WITH f AS (SELECT greatest($1::bigint, (SELECT last_value FROM ${names.floorSequence})) AS floor)
     , above AS (
       SELECT count(*) AS walked,
              count(*) FILTER (WHERE ${unfinished}) AS fresh,
              count(*) FILTER (WHERE ${unfinished} AND locked_until >= now()) AS fresh_leased,
              min(created_at) FILTER (WHERE ${unfinished}) AS oldest
         FROM (SELECT available_at, sent_at, dead_at, locked_until, created_at FROM ${t} WHERE seq > (SELECT floor FROM f) ORDER BY seq LIMIT $3) AS x)
     SELECT (SELECT fresh FROM above) AS fresh, (SELECT fresh_leased FROM above) AS fresh_leased, (SELECT walked FROM above) AS walked,
            (SELECT count(*) FROM (SELECT 1 FROM ${t} WHERE available_at IS NOT NULL LIMIT $2) AS x) AS waiting,
            (SELECT count(*) FILTER (WHERE locked_until >= now())
               FROM (SELECT locked_until FROM ${t} WHERE available_at > now() ORDER BY available_at, seq LIMIT $2) AS w) AS waiting_leased,
            (SELECT count(*) FROM (SELECT 1 FROM ${t} WHERE dead_at IS NOT NULL LIMIT $2) AS x) AS dead,
            ((SELECT ${DRAWN_SEQ} FROM ${names.seqSequence}) - (SELECT floor FROM f)) AS fresh_span,
            ${indexEstimate(names.index.waiting)} AS waiting_estimate,
            ${indexEstimate(names.index.dead)} AS dead_estimate,
            floor(extract(epoch FROM now() - least(
              (SELECT oldest FROM above),
              (SELECT min(created_at) FROM (SELECT created_at FROM ${t} WHERE available_at IS NOT NULL ORDER BY available_at, seq LIMIT $2) AS w))) * 1000) AS oldest_ms`,
    [floor.toString(), EXACT_COUNT_LIMIT, FRESH_WALK_LIMIT],
  );
  const row = rows[0]!;
  let approximate = false;
  const counted = (exact: string, estimate: () => number): number => {
    const n = Number(exact);
    if (n < EXACT_COUNT_LIMIT) return n;
    approximate = true;
    return Math.max(n, Math.round(estimate()));
  };
  const waiting = counted(row.waiting, () => Number(row.waiting_estimate ?? 0));
  const walkedAll = Number(row.walked) < FRESH_WALK_LIMIT;
  if (!walkedAll) approximate = true;
  const fresh = walkedAll ? Number(row.fresh) : Math.max(Number(row.fresh), Number(row.fresh_span) - Number(row.waiting_estimate ?? 0));
  const dead = counted(row.dead, () => Number(row.dead_estimate ?? 0));
  const inFlight = Number(row.fresh_leased) + Number(row.waiting_leased);
  if (Number(row.waiting_leased) >= EXACT_COUNT_LIMIT) approximate = true;
  return {
    pending: fresh + waiting,
    oldestPendingAgeMs: row.oldest_ms === null ? null : Math.max(0, Number(row.oldest_ms)),
    inFlight,
    dead,
    ...(approximate ? { approximate } : {}),
  };
}

/** An index name of the table's schema, as text for `to_regclass`. */
function qualified(names: OutboxNames, index: string): string {
  return (names.schema === undefined ? index : `"${names.schema}".${index}`).replaceAll("'", "''");
}
