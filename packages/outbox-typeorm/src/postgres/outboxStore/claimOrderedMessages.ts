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
 * 2. `locked` walks the pending index in `seq` order and keeps a row if it has no group, or lies before
 *    its group's block. The blocks are turned into one jsonb map (an InitPlan, computed once) and each
 *    row looks its group up in it: a binary search in memory, no query per row. The walk stops at `limit`.
 * 3. That test reads the statement's snapshot, which may predate another relay's claim. SKIP LOCKED
 *    alone does not help: relay A may hold the group's head while its 2nd row is unlocked, and B,
 *    with an older snapshot, would lock and lease that 2nd row. So `FOR UPDATE SKIP LOCKED` locks
 *    every candidate — READ COMMITTED re-checks each locked row's own lease/sent/dead columns
 *    against its newest committed version — and `kept` keeps a row only when this statement locked
 *    *all* pending rows of its group up to and including it (its position among the group's pending
 *    rows equals its position among the rows we locked). Any row another relay holds or has just
 *    leased breaks that chain, so the group's rows after it are not leased (their row locks end with
 *    the statement). Per-group advisory locks were the alternative; they do not close the gap either,
 *    because the snapshot is taken before the lock is acquired and a single statement cannot refresh
 *    it.
 * 4. Remaining caveat: a row of a group committed *after* a higher-`seq` row of the same group (two
 *    producer transactions writing one group concurrently) is invisible to the snapshot; such rows
 *    are published in commit order, not `seq` order.
 * The relay must give back a group's rows together (one markRetry/release call for the group), or
 * a lower row could become claimable while it still holds a higher one.
 * Measured (PostgreSQL 17, 100,000 pending rows in 1,000 groups whose heads back off, then 200
 * ungrouped rows; limit 100; a busy 2-core machine): the earlier form, a NOT EXISTS probe of the group
 * index for every row walked, took 10–16 s per claim (it re-read each blocked group's earlier rows for
 * every row: quadratic in the depth); this form takes about 0.3 s, spent walking the 100,000 rows
 * of the blocked groups once (`pnpm bench` scenario 8 has the figures). outboxStore.ordered.test.ts
 * pins the plan: no node runs more often than once per claimed row.
 * Safety is exercised by outboxStore.processes.test.ts (3 relay processes, 20 groups × 30).
 */
export async function claimOrderedMessages(db: SqlExecutor, table: string, args: ClaimArgs): Promise<OutboxMessage[]> {
  const { rows } = await db.query<ClaimedRow>(
    `WITH blocks AS MATERIALIZED (
       SELECT b.group_key, min(b.seq) AS from_seq
         FROM ${table} AS b
        WHERE b.sent_at IS NULL AND b.dead_at IS NULL AND b.group_key IS NOT NULL
          AND greatest(b.available_at, b.locked_until) > now()
        GROUP BY b.group_key
     ), locked AS MATERIALIZED (
       SELECT o.id, o.seq, o.group_key
         FROM ${table} AS o
        WHERE o.sent_at IS NULL AND o.dead_at IS NULL
          AND o.available_at <= now()
          AND (o.locked_until IS NULL OR o.locked_until < now())
          AND (o.group_key IS NULL
               OR coalesce(o.seq < ((SELECT jsonb_object_agg(group_key, from_seq) FROM blocks) ->> o.group_key)::bigint, true))
        ORDER BY o.seq
        LIMIT $2
          FOR UPDATE OF o SKIP LOCKED
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
