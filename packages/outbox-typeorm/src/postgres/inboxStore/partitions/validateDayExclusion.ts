import type { SqlExecutor } from '../../SqlExecutor.js';
import { exclusionName } from './excludeDayFromDefault.js';
import type { DayPartition, InboxPartitionNames } from './inboxPartitionNames.js';
import { literal, maintenanceBlock } from './maintenanceBlock.js';

/**
 * Validates the exclusion constraint of excludeDayFromDefault: a scan of the default partition under
 * SHARE UPDATE EXCLUSIVE, which lets the inbox's inserts and reads go on. When the default partition
 * already holds records of that day (ids from a producer whose clock runs far ahead), the constraint
 * is dropped again and the day gets no partition: its records stay in the default partition, purged
 * as before. No parameters.
 */
export async function validateDayExclusion(db: SqlExecutor, names: InboxPartitionNames, day: DayPartition, lockTimeoutMs: number): Promise<void> {
  const constraint = literal(exclusionName(day));
  await db.query(
    maintenanceBlock(
      names.parent,
      lockTimeoutMs,
      `  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = ${literal(names.defaultPartition)}::regclass AND conname = ${constraint} AND NOT convalidated) THEN
    BEGIN
      ALTER TABLE ${names.defaultPartition} VALIDATE CONSTRAINT "${exclusionName(day)}";
    EXCEPTION WHEN check_violation THEN
      ALTER TABLE ${names.defaultPartition} DROP CONSTRAINT "${exclusionName(day)}";
    END;
  END IF;`,
    ),
  );
}
