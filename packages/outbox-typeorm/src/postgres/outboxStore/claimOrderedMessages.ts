import type { SqlExecutor } from '../SqlExecutor.js';
import { DRAWN_SEQ as drawnSeq } from './drawnSeq.js';
import { CLAIMED_COLUMNS, type ClaimedRow } from './claimedMessage.js';
import { type ClaimArgs, type ClaimMetaRow, type ClaimResult, readClaim } from './claimMessages.js';
import { dueLane, freshLane } from './claimLanes.js';

/** Arguments of the ordered claim: the plain claim's, the floor the group look-ups start from, and how far it walks. */
export interface OrderedClaimArgs extends ClaimArgs {
  floor: bigint;
  /** Rows it walks above the watermark (more than `limit`, to find free messages past blocked ones). */
  walk: number;
}

/**
 * Ordered claim: like {@link claimMessages}, but a message with a group key is taken only if every
 * pending message of its group before it is taken in the same claim. So a group's messages go out one
 * claim at a time, in `seq` order; messages without a group key are free. A message blocked behind a
 * group head that waits (backing off, or itself parked) is *parked*: it moves to the waiting lane, due
 * when that head is, so the walk above the watermark never meets it again.
 *
 * $1 relay id, $2 limit, $3 limit of due waiting rows (the limit: `taken` picks in seq order), $4 low
 * watermark, $5 floor, $6 rows walked above the watermark, $7 lease in ms.
 *
 * Why it looks like this (the guarantee: two relays never hold messages of one group at once):
 * 1. `due` and `fresh` lock the candidates, as the plain claim does, the walk going further (`$6`) to
 *    find free messages past blocked ones.
 * 2. `checked`: a candidate is clear when no pending message of its group lies between it and the
 *    group's previous candidate (or before it, for the first): one descent of `<table>_waiting_group_idx`
 *    for waiting ones, one of `<table>_group_idx` (rows that never waited) for the others, which can
 *    only lie above the floor.
 *    `kept` chains it: a candidate is kept only if it and every earlier candidate of its group are clear.
 * 3. The snapshot may predate another relay's claim. Every candidate is locked by this statement, and
 *    READ COMMITTED re-checks each locked row against its newest version; a message another relay holds
 *    or is claiming is not ours, so it is a pending message in the way and breaks the chain.
 * 4. `heads`/`blocked`: a candidate not kept whose group's head waits unleased is parked until the head is due
 *    (then both are due, the head first). Behind a head in flight it is left as it is: the head is
 *    marked within a lease, and then the candidate is clear. The watermark stops below the first such
 *    message left above it (`left_fresh`), so none is passed.
 * Caveat: a message of a group committed after a higher-`seq` message of the same group (two producer
 * transactions writing one group concurrently) is invisible to the snapshot; such messages are published
 * in commit order, not `seq` order.
 * The relay must give back a group's messages together (one markRetry/release call for the group), or
 * a lower message could become claimable while it still holds a higher one.
 */
export async function claimOrderedMessages(db: SqlExecutor, table: string, seqSequence: string, args: OrderedClaimArgs): Promise<ClaimResult> {
  const pending = 'p.sent_at IS NULL AND p.dead_at IS NULL';
  const { rows } = await db.query<ClaimMetaRow & { left_fresh: string | null } & Partial<ClaimedRow>>(
    `WITH due AS MATERIALIZED (
       ${dueLane(table, 'o.slot, o.id, o.seq, o.group_key')}
     ), fresh AS MATERIALIZED (
       ${freshLane(table, 'o.slot, o.id, o.seq, o.group_key', '$6')}
     ), locked AS MATERIALIZED (
       SELECT u.*, lag(u.seq) OVER (PARTITION BY u.group_key ORDER BY u.seq) AS prev_seq
         FROM (SELECT * FROM due UNION ALL SELECT * FROM fresh) AS u
     ), checked AS (
       SELECT l.*,
              l.group_key IS NULL OR NOT (
                EXISTS (SELECT 1 FROM ${table} AS p
                         WHERE p.group_key = l.group_key AND p.available_at IS NOT NULL AND ${pending}
                           AND p.seq > coalesce(l.prev_seq, -1) AND p.seq < l.seq)
                OR EXISTS (SELECT 1 FROM ${table} AS p
                            WHERE p.group_key = l.group_key AND p.available_at IS NULL AND ${pending}
                              AND p.seq > greatest(coalesce(l.prev_seq, -1), $5::bigint) AND p.seq < l.seq)
              ) AS clear
         FROM locked AS l
     ), kept AS MATERIALIZED (
       SELECT c.*,
              CASE WHEN c.group_key IS NULL THEN true
                   ELSE bool_and(c.clear) OVER (PARTITION BY c.group_key ORDER BY c.seq) END AS kept
         FROM checked AS c
     ), taken AS MATERIALIZED (
       SELECT slot, id FROM kept WHERE kept ORDER BY seq LIMIT $2
     ), heads AS MATERIALIZED (
       -- The head of each group a candidate was held back in, when it waits unleased (backing off, or
       -- parked itself) and is not this claim's: once per group, not per candidate.
       SELECT h.*
         FROM (SELECT DISTINCT group_key FROM kept WHERE NOT kept) AS g
        CROSS JOIN LATERAL (
          SELECT p.group_key, p.id, p.seq, p.available_at, p.locked_until
            FROM ${table} AS p
           WHERE p.group_key = g.group_key AND p.available_at IS NOT NULL AND ${pending}
           ORDER BY p.group_key, p.seq LIMIT 1) AS h
        WHERE (h.locked_until IS NULL OR h.locked_until < now())
          AND h.id NOT IN (SELECT id FROM locked)
          AND NOT EXISTS (SELECT 1 FROM ${table} AS p
                           WHERE p.group_key = h.group_key AND p.available_at IS NULL AND ${pending}
                             AND p.seq > $5::bigint AND p.seq < h.seq)
     ), blocked AS MATERIALIZED (
       SELECT k.slot, k.id, greatest(h.available_at, now()) AS park_until
         FROM kept AS k JOIN heads AS h ON h.group_key = k.group_key AND h.seq < k.seq
        WHERE NOT k.kept
     ), claimed AS (
       UPDATE ${table} AS o
          SET locked_by = $1,
              locked_until = now() + $7::float8 * interval '1 millisecond',
              attempts = o.attempts + 1,
              available_at = CASE WHEN o.available_at IS NULL THEN NULL ELSE now() + $7::float8 * interval '1 millisecond' END
        WHERE o.id = ANY (ARRAY(SELECT id FROM taken))
       RETURNING o.*
     ), parked AS (
       UPDATE ${table} AS o
          SET available_at = b.park_until
         FROM blocked AS b
        WHERE o.id = ANY (ARRAY(SELECT id FROM blocked)) AND o.id = b.id AND o.slot = b.slot
       RETURNING o.seq
     ), meta AS (
       SELECT (SELECT ${drawnSeq} FROM ${seqSequence})::text AS hw,
              pg_current_snapshot()::text AS snap,
              (SELECT count(*) FROM fresh) >= $6::int AS fresh_full,
              (SELECT max(seq) FROM fresh)::text AS fresh_max,
              (SELECT min(f.seq) FROM fresh AS f
                WHERE f.id NOT IN (SELECT id FROM taken) AND f.id NOT IN (SELECT id FROM blocked))::text AS left_fresh,
              (SELECT count(*) FROM parked) AS parked
     )
     SELECT meta.hw, meta.snap, meta.fresh_full, meta.fresh_max, meta.left_fresh, meta.parked, ${CLAIMED_COLUMNS}
       FROM meta LEFT JOIN claimed ON true
      ORDER BY claimed.seq`,
    [args.relayId, args.limit, args.limit, args.low.toString(), args.floor.toString(), args.walk, args.leaseMs],
  );
  const result = readClaim(rows);
  // Messages left above the watermark (blocked behind a head in flight) stop it below the first of them.
  const leftFresh = rows[0]!.left_fresh;
  if (leftFresh !== null) {
    const below = BigInt(leftFresh) - 1n;
    const reach = result.observation.reach;
    result.observation.reach = reach === undefined || below < reach ? below : reach;
  }
  return result;
}
