import type { SqlExecutor } from '../../SqlExecutor.js';
import { exclusionName } from './excludeDayFromDefault.js';
import type { DayPartition, InboxPartitionNames } from './inboxPartitionNames.js';
import { maintenanceBlock } from './maintenanceBlock.js';

/** Drops a day's exclusion constraint from the default partition (a brief ACCESS EXCLUSIVE lock on it). No parameters. */
export async function dropDayExclusion(db: SqlExecutor, names: InboxPartitionNames, day: DayPartition, lockTimeoutMs: number): Promise<void> {
  await db.query(maintenanceBlock(names.parent, lockTimeoutMs, `  ALTER TABLE ${names.defaultPartition} DROP CONSTRAINT IF EXISTS "${exclusionName(day)}";`));
}
