import type { SqlExecutor } from '../../SqlExecutor.js';
import type { InboxPartitionNames } from './inboxPartitionNames.js';
import { maintenanceBlock } from './maintenanceBlock.js';

/**
 * Empties a partition whose records have all expired, with TRUNCATE: no dead tuples, no vacuum debt,
 * its space back at once. The check runs under the partition's ACCESS EXCLUSIVE lock, so no record
 * can arrive between it and the TRUNCATE; that lock is the partition's only (TRUNCATE of a partition
 * does not lock the parent), so only a delivery of an id of that day waits, and at most the lock
 * timeout. An `in_progress` record keeps `expires_at` at or past its lease, so one probe of the
 * expires_at index answers for both kinds. No parameters.
 */
export async function truncateExpiredPartition(db: SqlExecutor, names: InboxPartitionNames, partition: string, lockTimeoutMs: number): Promise<void> {
  await db.query(
    maintenanceBlock(
      names.parent,
      lockTimeoutMs,
      `  LOCK TABLE ${partition} IN ACCESS EXCLUSIVE MODE;
  IF EXISTS (SELECT 1 FROM ${partition}) AND NOT EXISTS (SELECT 1 FROM ${partition} WHERE expires_at > now()) THEN
    TRUNCATE ${partition};
  END IF;`,
    ),
  );
}
