import type { OutboxMessage } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';
import { CLAIMED_COLUMNS, type ClaimedRow, toOutboxMessage } from './claimedMessage.js';

export interface ClaimArgs {
  relayId: string;
  limit: number;
  leaseMs: number;
}

/**
 * Claims up to `limit` pending messages in `seq` order and leases them to `relayId`.
 *
 * $1 relay id (locked_by), $2 limit, $3 lease in ms.
 *
 * Why it looks like this:
 * - One statement: the locking SELECT and the UPDATE that writes the lease commit together, so a
 *   crash between them cannot leave rows locked-but-unleased or leased-but-unknown.
 * - `FOR UPDATE SKIP LOCKED`: relays claiming at the same moment skip each other's rows instead of
 *   queueing behind them; a row another relay has just leased is re-checked against its committed
 *   version (READ COMMITTED re-evaluates the WHERE on the locked row) and dropped, so no row is
 *   handed to two live leases.
 * - The WHERE repeats the pending-index predicate `sent_at IS NULL AND dead_at IS NULL` word for
 *   word and orders by `seq` alone, so the planner walks the partial index on (seq) in order and
 *   stops after `limit` matches. Measured (PostgreSQL 17, EXPLAIN ANALYZE, 200,000 sent rows and
 *   15,000 pending, limit 100): Limit → LockRows → Index Scan on the pending index visiting 101
 *   index entries, 9 ms in all (most of it the UPDATE); outboxStore.test.ts "uses the pending index"
 *   checks the plan never has a Seq Scan. Sent and dead rows are not in that index, so they cost
 *   nothing; leased and backing-off rows are, and are filtered while walking it: the cost grows with
 *   in-flight + backing-off rows, not with table size.
 * - The result is re-sorted by `seq` because UPDATE … RETURNING has no defined order.
 */
export async function claimMessages(db: SqlExecutor, table: string, args: ClaimArgs): Promise<OutboxMessage[]> {
  const { rows } = await db.query<ClaimedRow>(
    `WITH candidate AS MATERIALIZED (
       SELECT id
         FROM ${table}
        WHERE sent_at IS NULL AND dead_at IS NULL
          AND available_at <= now()
          AND (locked_until IS NULL OR locked_until < now())
        ORDER BY seq
        LIMIT $2
          FOR UPDATE SKIP LOCKED
     ), claimed AS (
       UPDATE ${table} AS o
          SET locked_by = $1,
              locked_until = now() + $3::float8 * interval '1 millisecond',
              attempts = o.attempts + 1
         FROM candidate
        WHERE o.id = candidate.id
       RETURNING o.*
     )
     SELECT ${CLAIMED_COLUMNS} FROM claimed ORDER BY claimed.seq`,
    [args.relayId, args.limit, args.leaseMs],
  );
  return rows.map(toOutboxMessage);
}
