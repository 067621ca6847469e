import type { OutboxMessage } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';
import type { ClaimArgs } from './claimMessages.js';
import { CLAIMED_COLUMNS, type ClaimedRow, toOutboxMessage } from './claimedMessage.js';

/**
 * Ordered claim: like {@link claimMessages}, but a message with a group key is taken only together
 * with every pending message of its group that precedes it, i.e. per group the head (lowest pending
 * `seq`) and the run of claimable messages right after it. A group whose head is leased or backing
 * off is skipped whole. Messages without a group key are free.
 *
 * $1 relay id (locked_by), $2 limit, $3 lease in ms.
 *
 * Why it looks like this (the guarantee: two relays never hold messages of one group at once):
 * 1. `blocks` finds, once per claim, where each group is blocked: the lowest `seq` of its pending rows
 *    that are leased or not yet available (backing off, delayed). One range scan of the
 *    `greatest(available_at, locked_until)` index of pending grouped rows (`<table>_group_blocked_idx`),
 *    so its cost grows with the rows not claimable now, not with the backlog or the table.
 *    `blocked_at` is the same as one jsonb map, for walks that look a row's group up in memory.
 * 2. `walked`, the common case: walk the pending index in `seq` order, no further than `prefix` (the
 *    first 4 × limit claimable rows), keeping a row if it has no group or lies before its group's
 *    block. When groups are healthy this fills the claim, and nothing below runs (a LIMIT 0 node never
 *    runs its input, and `choice` evaluates its subqueries only as far as it needs).
 * 3. When the prefix was mostly rows of blocked groups (behind their block), walking on would read
 *    every row of the blocked groups, as they are interleaved with the rest in `seq` order. So
 *    `groups` starts from the groups instead: a loose index scan of `<table>_group_pending_idx`
 *    (group_key, seq) that jumps from one group to the next, one index descent per pending group,
 *    giving each group's head; a group whose head is blocked costs that one descent, however deep
 *    it is. Of the others, `entries` takes each group's first row past the prefix (only the `limit`
 *    lowest can hold a claimed row) and `beyond` their runs up to the block, plus the free rows past
 *    the prefix from `<table>_free_pending_idx` (pending rows without a group), keeping the lowest
 *    rows the claim still lacks. `more` locks those by id (so the planner takes them from the primary
 *    key rather than walking the pending index in `seq` order to meet them).
 * 4. The loose scan costs a descent per pending group, which is the wrong trade when there are many
 *    (a backlog of per-aggregate groups behind one deep blocked group). `groups` stops at 20 × limit
 *    + 1 groups; past that `choice` picks `onward`, the walk of step 2 continued past the prefix.
 *    So a claim costs at most 20 × limit descents more than the walk alone.
 * 5. The statement's snapshot may predate another relay's claim. SKIP LOCKED alone does not help:
 *    relay A may hold the group's head while its 2nd row is unlocked, and B, with an older snapshot,
 *    would lock and lease that 2nd row. So `FOR UPDATE SKIP LOCKED` locks every candidate (in
 *    `walked`, `more` and `onward`) — READ COMMITTED re-checks each locked row's own lease/sent/dead
 *    columns against its newest committed version — and `kept` keeps a row only when this statement
 *    locked *all* pending rows of its group up to and including it (its position among the group's
 *    pending rows equals its position among the rows we locked). Any row another relay holds or has
 *    just leased breaks that chain, so the group's rows after it are not leased (their row locks end
 *    with the statement). The check does not depend on how the candidates were found. Per-group
 *    advisory locks were the alternative; they do not close the gap either, because the snapshot is
 *    taken before the lock is acquired and a single statement cannot refresh it.
 * 6. Remaining caveat: a row of a group committed *after* a higher-`seq` row of the same group (two
 *    producer transactions writing one group concurrently) is invisible to the snapshot; such rows
 *    are published in commit order, not `seq` order.
 * The relay must give back a group's rows together (one markRetry/release call for the group), or
 * a lower row could become claimable while it still holds a higher one.
 * Measured (PostgreSQL 17, 100,000 pending rows in 1,000 groups whose heads back off, then 200 free
 * rows; limit 100; `pnpm bench` scenario 8 on a 2-core machine at load 14–18): 22–38 ms p50 per
 * claim, 3.1–3.5× an unordered claim of as many pending rows in the same run; most of the difference
 * is the descent per group and reading the 1,000 backing-off heads in front of the prefix. The first
 * form, a NOT EXISTS probe of the group index per row walked, took 10–16 s; the walk of every pending
 * row with the jsonb map (steps 1–2 without a prefix) 0.37 s. Without the cap of step 4, 100,000
 * one-message groups behind one blocked group of 2,000 took ~2 s per claim (the walk: ~9 ms).
 * outboxStore.ordered.test.ts pins the plans: behind deep blocked groups the claim reads a small
 * fraction of their rows; a healthy backlog never runs the group scan; many groups stop it at its cap.
 * Safety is exercised by outboxStore.processes.test.ts (3 relay processes; 20 groups × 30 at batch 12
 * and 30 × 30 at batch 1, one for each way past the prefix).
 */
/** Row `o` is pending and can be leased now (the pending-index predicate word for word, then the lease). */
const CLAIMABLE = `o.sent_at IS NULL AND o.dead_at IS NULL
          AND o.available_at <= now() AND (o.locked_until IS NULL OR o.locked_until < now())`;

/** Row `o` has no group, or lies before its group's block (looked up in the `blocked_at` map). */
const BEFORE_ITS_BLOCK = `(o.group_key IS NULL OR coalesce(o.seq < ((SELECT map FROM blocked_at) ->> o.group_key)::bigint, true))`;

export async function claimOrderedMessages(db: SqlExecutor, table: string, args: ClaimArgs): Promise<OutboxMessage[]> {
  const { rows } = await db.query<ClaimedRow>(
    `WITH RECURSIVE blocks AS MATERIALIZED (
       SELECT b.group_key, min(b.seq) AS from_seq
         FROM ${table} AS b
        WHERE b.sent_at IS NULL AND b.dead_at IS NULL AND b.group_key IS NOT NULL
          AND greatest(b.available_at, b.locked_until) > now()
        GROUP BY b.group_key
     ), blocked_at AS MATERIALIZED (
       SELECT jsonb_object_agg(group_key, from_seq) AS map FROM blocks
     ), prefix AS MATERIALIZED (
       SELECT (SELECT o.seq FROM ${table} AS o
                WHERE ${CLAIMABLE}
                ORDER BY o.seq OFFSET 4 * $2::int - 1 LIMIT 1) AS last_seq
     ), walked AS MATERIALIZED (
       SELECT o.id, o.seq, o.group_key
         FROM ${table} AS o
        WHERE ${CLAIMABLE}
          AND o.seq <= coalesce((SELECT last_seq FROM prefix), 9223372036854775807)
          AND ${BEFORE_ITS_BLOCK}
        ORDER BY o.seq
        LIMIT $2::int
          FOR UPDATE OF o SKIP LOCKED
     ), heads (group_key, seq) AS (
       (SELECT g.group_key, g.seq FROM ${table} AS g
         WHERE g.sent_at IS NULL AND g.dead_at IS NULL AND g.group_key IS NOT NULL
         ORDER BY g.group_key, g.seq LIMIT 1)
       UNION ALL
       SELECT n.group_key, n.seq
         FROM heads AS h
        CROSS JOIN LATERAL (
          SELECT g.group_key, g.seq FROM ${table} AS g
           WHERE g.sent_at IS NULL AND g.dead_at IS NULL AND g.group_key > h.group_key
           ORDER BY g.group_key, g.seq LIMIT 1) AS n
     ), groups AS MATERIALIZED (
       SELECT group_key, seq FROM heads LIMIT 20 * $2::int + 1
     ), choice AS MATERIALIZED (
       SELECT CASE WHEN (SELECT last_seq FROM prefix) IS NULL OR (SELECT count(*) FROM walked) >= $2::int THEN 'none'
                   WHEN (SELECT count(*) FROM groups) <= 20 * $2::int THEN 'groups'
                   ELSE 'onward' END AS way
     ), entries AS (
       SELECT h.group_key, e.seq, b.from_seq
         FROM groups AS h
         LEFT JOIN blocks AS b ON b.group_key = h.group_key
        CROSS JOIN LATERAL (
          SELECT g.seq FROM ${table} AS g
           WHERE g.group_key = h.group_key AND g.sent_at IS NULL AND g.dead_at IS NULL
             AND g.seq > (SELECT last_seq FROM prefix)
             AND g.seq < coalesce(b.from_seq, 9223372036854775807)
           ORDER BY g.seq LIMIT 1) AS e
        WHERE h.seq < coalesce(b.from_seq, 9223372036854775807)
        ORDER BY e.seq
        LIMIT $2::int
     ), beyond AS (
       SELECT c.id FROM (
         SELECT r.id, r.seq
           FROM entries AS e
          CROSS JOIN LATERAL (
            SELECT g.id, g.seq FROM ${table} AS g
             WHERE g.group_key = e.group_key AND g.sent_at IS NULL AND g.dead_at IS NULL
               AND g.seq >= e.seq AND g.seq < coalesce(e.from_seq, 9223372036854775807)
             ORDER BY g.seq LIMIT $2::int) AS r
         UNION ALL
         (SELECT o.id, o.seq FROM ${table} AS o
           WHERE ${CLAIMABLE} AND o.group_key IS NULL AND o.seq > (SELECT last_seq FROM prefix)
           ORDER BY o.seq LIMIT $2::int)
       ) AS c
       ORDER BY c.seq
       LIMIT CASE WHEN (SELECT way FROM choice) = 'groups' THEN $2::int - (SELECT count(*) FROM walked) ELSE 0 END
     ), more AS MATERIALIZED (
       SELECT o.id, o.seq, o.group_key
         FROM ${table} AS o
        WHERE o.id = ANY (ARRAY(SELECT id FROM beyond)) AND ${CLAIMABLE}
          FOR UPDATE OF o SKIP LOCKED
     ), onward AS MATERIALIZED (
       SELECT o.id, o.seq, o.group_key
         FROM ${table} AS o
        WHERE ${CLAIMABLE}
          AND o.seq > (SELECT last_seq FROM prefix)
          AND ${BEFORE_ITS_BLOCK}
        ORDER BY o.seq
        LIMIT CASE WHEN (SELECT way FROM choice) = 'onward' THEN $2::int - (SELECT count(*) FROM walked) ELSE 0 END
          FOR UPDATE OF o SKIP LOCKED
     ), locked AS (
       SELECT id, seq, group_key FROM walked
       UNION ALL
       SELECT id, seq, group_key FROM more
       UNION ALL
       SELECT id, seq, group_key FROM onward
     ), kept AS (
       SELECT l.id
         FROM (SELECT id, seq, group_key, row_number() OVER (PARTITION BY group_key ORDER BY seq) AS n
                 FROM locked) AS l
        WHERE l.group_key IS NULL
           OR l.n = (SELECT count(*) FROM ${table} AS p
                      WHERE p.group_key = l.group_key AND p.seq <= l.seq
                        AND p.sent_at IS NULL AND p.dead_at IS NULL)
     ), claimed AS (
       UPDATE ${table} AS o
          SET locked_by = $1,
              locked_until = now() + $3::float8 * interval '1 millisecond',
              attempts = o.attempts + 1
         FROM kept
        WHERE o.id = kept.id
       RETURNING o.*
     )
     SELECT ${CLAIMED_COLUMNS} FROM claimed ORDER BY claimed.seq`,
    [args.relayId, args.limit, args.leaseMs],
  );
  return rows.map(toOutboxMessage);
}
