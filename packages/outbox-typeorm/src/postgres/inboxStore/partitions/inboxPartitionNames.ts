import { quoteIdentifier, qualifiedTableName, type TableLocation } from '../../identifiers.js';
import { DEFAULT_INBOX_TABLE } from '../../schema/inboxTableName.js';

/** A day of records: its partition (`<table>_pYYYYMMDD`, UTC) and its uuid v7 bounds. */
export interface DayPartition {
  /** Unquoted name, as the catalog lists it. */
  name: string;
  /** Quoted, schema-qualified. */
  table: string;
  /** The smallest uuid v7 text of the day, and of the next one: the range partition's bounds. */
  lower: string;
  upper: string;
  /** UTC midnight that starts the day, epoch ms. */
  dayMs: number;
}

/** The names of an inbox table's partitions, all derived from the table's name. */
export interface InboxPartitionNames {
  /** Quoted, schema-qualified parent (the table every statement targets). */
  parent: string;
  /** The default partition: message ids that are not uuid v7, and days that have no partition. */
  defaultPartition: string;
  /** The partition of the UTC day starting at `dayMs`. */
  day(dayMs: number): DayPartition;
  /** The day (UTC midnight, epoch ms) of a partition name of ours, or undefined for any other name. */
  dayOf(name: string): number | undefined;
  /** The partition of a `YYYYMMDD` stamp, or undefined when it is not one. */
  dayOfStamp(stamp: string): DayPartition | undefined;
}

const DAY_MS = 86_400_000;

/** The uuid v7 text of the first id of millisecond `ms` (its time in the first 48 bits, all else zero). */
export function uuidV7Bound(ms: number): string {
  const hex = Math.floor(ms).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/**
 * Partition names of the inbox at `location`: `<table>_default` and `<table>_pYYYYMMDD` per UTC day, in
 * the table's schema. A table name must leave room for the 10-character suffix.
 * @throws InvalidIdentifierError when a derived name is not a plain identifier (too long, say).
 */
export function inboxPartitionNames(location: TableLocation = {}): InboxPartitionNames {
  const base = location.tableName ?? DEFAULT_INBOX_TABLE;
  const qualify = (name: string) => qualifiedTableName({ schema: location.schema, tableName: name }, DEFAULT_INBOX_TABLE);
  quoteIdentifier('partition name (derived from the table name)', `${base}_p20000101`);
  const prefix = `${base}_p`;
  return {
    parent: qualifiedTableName(location, DEFAULT_INBOX_TABLE),
    defaultPartition: qualify(`${base}_default`),
    day(dayMs) {
      const stamp = new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '');
      const name = `${prefix}${stamp}`;
      return { name, table: qualify(name), lower: uuidV7Bound(dayMs), upper: uuidV7Bound(dayMs + DAY_MS), dayMs };
    },
    dayOf(name) {
      return name.startsWith(prefix) ? stampMs(name.slice(prefix.length)) : undefined;
    },
    dayOfStamp(stamp) {
      const ms = stampMs(stamp);
      return ms === undefined ? undefined : this.day(ms);
    },
  };
}

/** UTC midnight of a `YYYYMMDD` stamp, epoch ms; undefined for anything else. */
function stampMs(stamp: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(stamp);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(ms) ? undefined : ms;
}

export { DAY_MS };
