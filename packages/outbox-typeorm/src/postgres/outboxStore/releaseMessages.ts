import type { ReleaseOptions } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';
import { storedErrorText } from './storedErrorText.js';

/**
 * Gives back leased messages (claimed but not published before shutdown, held behind their group's
 * head, or of a blocked route): clears the lease and undoes the claim's `attempts` bump, so a release
 * does not count towards `maxAttempts`. They go to the waiting lane, due `now()` plus the delay (the
 * database's clock): a row behind the claim's watermark is found there, never by a walk back.
 * `last_error` is replaced only when an error is given.
 *
 * $1 relay id, $2 ids (uuid[]), $3 delay in ms (float8, 0 = due now), $4 error (text, null = keep).
 *
 * Fenced by `locked_by = $1` (see markSent).
 */
export async function releaseMessages(db: SqlExecutor, table: string, relayId: string, ids: readonly string[], options: ReleaseOptions = {}): Promise<number> {
  const { delayMs = 0, error } = options;
  const { rowCount } = await db.query(
    `UPDATE ${table}
        SET locked_by = NULL, locked_until = NULL, attempts = greatest(attempts - 1, 0),
            available_at = now() + $3::float8 * interval '1 millisecond',
            last_error = coalesce($4::text, last_error)
      WHERE id = ANY($2::uuid[]) AND locked_by = $1
        AND sent_at IS NULL AND dead_at IS NULL`,
    [relayId, ids, Math.max(0, delayMs), error === undefined ? null : storedErrorText(error)],
  );
  return rowCount;
}
