import type { InboxLease } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Marks the record `done` and starts its retention. Returns false when the lease token no longer
 * owns it (another consumer took it over after the lease expired).
 *
 * $1 consumer, $2 message id, $3 lease token, $4 ttl ms.
 *
 * Fenced by `locked_by = $3`, not by `locked_until`: a handler that outran its lease may still
 * complete as long as nobody took the record over. Run inside the handler's transaction it makes
 * the `done` record commit or roll back with the handler's writes.
 */
export async function completeInboxRecord(db: SqlExecutor, table: string, lease: InboxLease, ttlMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE ${table}
        SET status = 'done', locked_by = NULL, locked_until = NULL, processed_at = clock_timestamp(),
            expires_at = clock_timestamp() + $4::double precision * interval '1 millisecond'
      WHERE consumer = $1 AND message_id = $2 AND status = 'in_progress' AND locked_by = $3`,
    [lease.consumer, lease.messageId, lease.token, ttlMs],
  );
  return rowCount === 1;
}
