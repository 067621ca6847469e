import type { InboxLease } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Pushes the lease of an `in_progress` record to `leaseMs` from now, while its handler still runs.
 * Returns false when the lease token no longer owns it (another consumer took it over).
 *
 * $1 consumer, $2 message id, $3 lease token, $4 lease ms.
 *
 * Fenced by `locked_by = $3` as completeInboxRecord is. Runs on the store's pool, never inside the
 * handler's transaction: the new lease must be visible to other consumers at once. If that transaction
 * has already marked the record `done`, this waits for its commit and then updates nothing.
 * clock_timestamp(): the database clock, the one every consumer's lease is compared with. expires_at
 * moves with the lease when the lease would outlast it (see acquireInboxRecord).
 */
export async function extendInboxLease(db: SqlExecutor, table: string, lease: InboxLease, leaseMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE ${table}
        SET locked_until = clock_timestamp() + $4::double precision * interval '1 millisecond',
            expires_at = greatest(expires_at, clock_timestamp() + $4::double precision * interval '1 millisecond')
      WHERE consumer = $1 AND message_id = $2 AND status = 'in_progress' AND locked_by = $3`,
    [lease.consumer, lease.messageId, lease.token, leaseMs],
  );
  return rowCount === 1;
}
