import type { RetryMark } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';
import { storedErrorText } from './storedErrorText.js';

/**
 * Gives back messages whose publish failed retryably: moves `available_at` to each message's
 * retry time, records `last_error`, clears the lease. One statement for all marks (parallel arrays
 * unnested into rows).
 *
 * $1 relay id, $2 ids (text[]), $3 available-at times (timestamptz[]), $4 errors (text[]).
 *
 * Fenced by `locked_by = $1` (see markSent).
 */
export async function markRetry(db: SqlExecutor, table: string, relayId: string, marks: readonly RetryMark[]): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${table} AS o
        SET available_at = m.available_at, last_error = m.error, locked_by = NULL, locked_until = NULL
       FROM unnest($2::uuid[], $3::timestamptz[], $4::text[]) AS m(id, available_at, error)
      WHERE o.id = m.id AND o.locked_by = $1
        AND o.sent_at IS NULL AND o.dead_at IS NULL`,
    [relayId, marks.map((m) => m.id), marks.map((m) => m.availableAt.toISOString()), marks.map((m) => storedErrorText(m.error))],
  );
  return rowCount;
}
