import type { DeadMark } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';
import { storedErrorText } from './storedErrorText.js';

/**
 * Dead-letters messages: sets `dead_at`, records `last_error`, clears the lease and takes them out of
 * the waiting lane. One statement for all marks.
 *
 * $1 relay id, $2 ids (uuid[]), $3 errors (text[]).
 *
 * Fenced by `locked_by = $1` (see markSent).
 */
export async function markDead(db: SqlExecutor, table: string, relayId: string, marks: readonly DeadMark[]): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE ${table} AS o
        SET dead_at = now(), last_error = m.error, locked_by = NULL, locked_until = NULL, available_at = NULL
       FROM unnest($2::uuid[], $3::text[]) AS m(id, error)
      WHERE o.id = m.id AND o.locked_by = $1
        AND o.sent_at IS NULL AND o.dead_at IS NULL`,
    [relayId, marks.map((m) => m.id), marks.map((m) => storedErrorText(m.error))],
  );
  return rowCount;
}
