import type { InboxLease } from '@tx-outbox/outbox-core';
import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Deletes an `in_progress` record after its handler failed, so the redelivery runs the handler again.
 *
 * $1 consumer, $2 message id, $3 lease token.
 *
 * Fenced by the token: a no-op when another consumer has taken the record over meanwhile.
 */
export async function releaseInboxRecord(db: SqlExecutor, table: string, lease: InboxLease): Promise<void> {
  await db.query(
    `DELETE FROM ${table} WHERE consumer = $1 AND message_id = $2 AND status = 'in_progress' AND locked_by = $3`,
    [lease.consumer, lease.messageId, lease.token],
  );
}
