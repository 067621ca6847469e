import type { InboxRotation } from '@tx-outbox/outbox-core';
import type { TableLocation } from '../../identifiers.js';
import type { SqlExecutor } from '../../SqlExecutor.js';
import { attachDayPartition } from './attachDayPartition.js';
import { dropEmptyPartition } from './dropEmptyPartition.js';
import { dropDayExclusion } from './dropDayExclusion.js';
import { EXCLUSION_PREFIX, excludeDayFromDefault } from './excludeDayFromDefault.js';
import { DAY_MS, inboxPartitionNames } from './inboxPartitionNames.js';
import { InboxPartitionStepError } from './InboxPartitionStepError.js';
import { partitionHasRows } from './partitionHasRows.js';
import { readInboxLayout } from './readInboxLayout.js';
import { truncateExpiredPartition } from './truncateExpiredPartition.js';
import { validateDayExclusion } from './validateDayExclusion.js';

/** How far ahead days get their partition, and how long each step waits for its table lock. */
export interface RotateInboxOptions {
  /** Days after today that get their partition ahead of time (each while it is 12 hours away or more). @defaultValue 2 */
  aheadDays?: number;
  /** Lock timeout of the steps that take a partition's or the default partition's lock. @defaultValue 1000 */
  lockTimeoutMs?: number;
  /** Lock timeout of DROP, which locks the whole inbox table. @defaultValue 200 */
  dropLockTimeoutMs?: number;
}

/** SQLSTATE lock_not_available: a step that did not get its lock in time, tried again at the next run. */
const LOCK_NOT_AVAILABLE = '55P03';
/** SQLSTATE check_violation: the default partition holds records of the day, which then stays there. */
const CHECK_VIOLATION = '23514';
/** A day gets its partition only while it starts this far ahead: no record of it can be in flight yet. */
const MIN_LEAD_MS = 12 * 3_600_000;
/** Above this many records (the planner's estimate) the default partition is kept out of ATTACH's scan with an exclusion constraint. */
const SCAN_FREE_ATTACH_ROWS = 100_000;

/**
 * Keeps a partitioned inbox table (see inboxTableDdl) in shape, with no DELETE: gives each of the next
 * `aheadDays` days a partition of its own while it is still at least 12 hours away (a day that has
 * begun without one stays in the default partition), empties with TRUNCATE each past day's partition once
 * every record in it has expired and then drops it, and truncates the default partition once every
 * record in it has expired. Each step is one statement in its own short transaction (see
 * maintenanceBlock); a step that waits too long for a lock is left for the next run. Does nothing to an
 * inbox that is not partitioned (not migrated yet) or missing.
 *
 * @returns what changed; `failures` lists steps that failed for another reason than a lock timeout.
 */
export async function rotateInboxPartitions(db: SqlExecutor, location: TableLocation, options: RotateInboxOptions = {}): Promise<InboxRotation> {
  const { aheadDays = 2, lockTimeoutMs = 1_000, dropLockTimeoutMs = 200 } = options;
  const names = inboxPartitionNames(location);
  const before = await readInboxLayout(db, names.parent);
  const rotation: InboxRotation = { created: [], truncated: [], dropped: [], deferred: [], failures: [] };
  if (before.kind !== 'partitioned') return rotation;
  const step = async (what: string, partition: string, run: () => Promise<void>): Promise<boolean> => {
    try {
      await run();
      return true;
    } catch (error) {
      const code = (error as { code?: string })?.code;
      if (code === LOCK_NOT_AVAILABLE) rotation.deferred.push(`${what} ${partition}`);
      else if (code === CHECK_VIOLATION) rotation.deferred.push(`${what} ${partition} (the default partition holds records of that day)`);
      else rotation.failures.push({ step: `${what} ${partition}`, error: new InboxPartitionStepError(`${what} ${partition}`, error) });
      return false;
    }
  };
  const existing = new Set(before.partitions.map((p) => p.name));
  const largeDefault = before.partitions.some((p) => p.isDefault && p.estimatedRows > SCAN_FREE_ATTACH_ROWS);

  // An exclusion left by a run that stopped half-way would refuse that day's records once the day comes.
  for (const exclusion of before.exclusions) {
    const day = names.dayOfStamp(exclusion.slice(EXCLUSION_PREFIX.length));
    if (day === undefined || existing.has(day.name) || day.dayMs - before.nowMs >= MIN_LEAD_MS) continue;
    await step('drop exclusion', day.name, () => dropDayExclusion(db, names, day, lockTimeoutMs));
  }

  for (let ahead = 1; ahead <= aheadDays; ahead++) {
    const day = names.day(before.todayMs + ahead * DAY_MS);
    if (existing.has(day.name) || day.dayMs - before.nowMs < MIN_LEAD_MS) continue;
    if (largeDefault) {
      if (!(await step('exclude from default', day.name, () => excludeDayFromDefault(db, names, day, lockTimeoutMs)))) continue;
      if (!(await step('validate exclusion', day.name, () => validateDayExclusion(db, names, day, lockTimeoutMs)))) continue;
    }
    await step('attach', day.name, () => attachDayPartition(db, names, day, lockTimeoutMs));
  }

  for (const partition of before.partitions) {
    const dayMs = names.dayOf(partition.name);
    const past = dayMs !== undefined && dayMs + DAY_MS <= before.todayMs;
    if (!past && !partition.isDefault) continue;
    const table = partition.isDefault ? names.defaultPartition : names.day(dayMs!).table;
    if (await partitionHasRows(db, table)) {
      await step('truncate', partition.name, () => truncateExpiredPartition(db, names, table, lockTimeoutMs));
      if (await partitionHasRows(db, table)) continue;
      rotation.truncated.push({ partition: partition.name, estimatedRecords: Math.max(partition.estimatedRows, 0) });
    }
    if (past) await step('drop', partition.name, () => dropEmptyPartition(db, names, table, dropLockTimeoutMs));
  }

  const after = new Set((await readInboxLayout(db, names.parent)).partitions.map((p) => p.name));
  rotation.created = [...after].filter((name) => !existing.has(name)).sort();
  rotation.dropped = [...existing].filter((name) => !after.has(name)).sort();
  return rotation;
}
