import type { SqlExecutor } from '../../SqlExecutor.js';
import { exclusionName } from './excludeDayFromDefault.js';
import type { DayPartition, InboxPartitionNames } from './inboxPartitionNames.js';
import { literal, maintenanceBlock } from './maintenanceBlock.js';

/**
 * Creates the day's table and attaches it as the partition of the day. CREATE TABLE ... PARTITION OF
 * would take ACCESS EXCLUSIVE on the parent, so the table is created on its own and attached: ATTACH
 * takes SHARE UPDATE EXCLUSIVE on the parent (inserts and reads go on) and ACCESS EXCLUSIVE on the
 * default partition while it checks that none of the day's ids are in it, a scan of the default
 * partition unless a validated exclusion constraint proves it (excludeDayFromDefault), which is then
 * dropped: the partition bound keeps the day out from now on. A default partition that holds records
 * of the day makes ATTACH fail (23514); the day then stays in the default partition. The new table is
 * empty, so its own check and index builds are instant. No parameters.
 */
export async function attachDayPartition(db: SqlExecutor, names: InboxPartitionNames, day: DayPartition, lockTimeoutMs: number): Promise<void> {
  const constraint = exclusionName(day);
  await db.query(
    maintenanceBlock(
      names.parent,
      lockTimeoutMs,
      `  IF to_regclass(${literal(day.table)}) IS NULL THEN
    CREATE TABLE ${day.table} (LIKE ${names.parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
    ALTER TABLE ${names.parent} ATTACH PARTITION ${day.table} FOR VALUES FROM (${literal(day.lower)}) TO (${literal(day.upper)});
  END IF;
  ALTER TABLE ${names.defaultPartition} DROP CONSTRAINT IF EXISTS "${constraint}";`,
    ),
  );
}
