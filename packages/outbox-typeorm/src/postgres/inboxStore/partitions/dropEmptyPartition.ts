import type { SqlExecutor } from '../../SqlExecutor.js';
import type { InboxPartitionNames } from './inboxPartitionNames.js';
import { maintenanceBlock } from './maintenanceBlock.js';

/**
 * Drops a past day's partition once it is empty (truncated), so partitions do not pile up. DROP locks
 * the parent ACCESS EXCLUSIVE: the inbox's statements wait behind it, so it runs with a short lock
 * timeout and, when a long transaction holds the inbox, simply waits for the next retention run (the
 * empty partition costs nothing meanwhile). Checked empty under both locks. No parameters.
 */
export async function dropEmptyPartition(db: SqlExecutor, names: InboxPartitionNames, partition: string, lockTimeoutMs: number): Promise<void> {
  await db.query(
    maintenanceBlock(
      names.parent,
      lockTimeoutMs,
      `  LOCK TABLE ONLY ${names.parent} IN ACCESS EXCLUSIVE MODE;
  LOCK TABLE ${partition} IN ACCESS EXCLUSIVE MODE;
  IF NOT EXISTS (SELECT 1 FROM ${partition}) THEN
    DROP TABLE ${partition};
  END IF;`,
    ),
  );
}
