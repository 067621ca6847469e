import type { RetryMark } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';
import { storedErrorText } from './storedErrorText.js';

/**
 * Gives back messages whose publish failed retryably: they wait in the waiting lane until `now()` plus
 * each message's delay, with `last_error` recorded and the lease cleared. One statement for all marks
 * (parallel arrays unnested into rows). The time is the database's (one clock for leases, claims and
 * retries): a relay whose own clock is off still retries on time.
 *
 * $1 relay id, $2 ids (uuid[]), $3 delays in ms (float8[]), $4 errors (text[]).
 *
 * Fenced by `locked_by = $1` (see markSent).
 */
export async function markRetry(db: SqlExecutor, table: string, relayId: string, marks: readonly RetryMark[]): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${table} AS o
        SET available_at = now() + m.delay_ms * interval '1 millisecond', last_error = m.error,
            locked_by = NULL, locked_until = NULL
       FROM unnest($2::uuid[], $3::float8[], $4::text[]) AS m(id, delay_ms, error)
      WHERE o.id = m.id AND o.locked_by = $1
        AND o.sent_at IS NULL AND o.dead_at IS NULL`,
    [relayId, marks.map((m) => m.id), marks.map((m) => Math.max(0, m.delayMs)), marks.map((m) => storedErrorText(m.error))],
  );
  return rowCount;
}
