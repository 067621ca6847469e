import { quoteIdentifier, qualifiedTableName, type TableLocation } from '../identifiers.js';
import { inboxPartitionNames } from '../inboxStore/partitions/inboxPartitionNames.js';
import { literal, maintenanceBlock } from '../inboxStore/partitions/maintenanceBlock.js';
import { DEFAULT_INBOX_TABLE } from './inboxTableName.js';

export { DEFAULT_INBOX_TABLE };

/** How long the upgrade waits for the old table's lock (held by running handlers) before it gives up; run it again then. */
const UPGRADE_LOCK_TIMEOUT_MS = 5_000;

/**
 * The statements that create the inbox table of `PostgresInboxStore`, or upgrade today's table in
 * place, in order. Idempotent. Used by the TypeORM migrations, by `outbox-relay migrate`, by plain-pg
 * setups (hence no typeorm import here) and rendered as `sql/inbox.sql`.
 *
 * The table is partitioned by RANGE (message_id): the ids the outbox publishes are uuid v7, whose text
 * sorts by time, so a UTC day of ids is one range. Inbox retention (`rotate`) gives each day a
 * partition ahead of time and TRUNCATEs then drops a past day once all its records expired: no DELETE,
 * no dead tuples. The primary key (consumer, message_id) contains the partition key, so one unique index
 * per partition keeps a message id to one record. Ids that are not uuid v7 (or of a day without its own
 * partition) go to the default partition `<table>_default`, whose expired records are deleted in
 * batches as before.
 *
 * An unpartitioned inbox (the layout before) is upgraded in one short transaction: renamed to
 * `<table>_default` with its indexes, and attached as the default partition of a new partitioned
 * `<table>` — no copy, no scan, locks held for milliseconds (after waiting at most 5 s for running
 * handlers; run it again if that times out). Its records stay where they are, found as before.
 *
 * Derived names must be plain identifiers (`<table>_expires_idx`, `<table>_default`,
 * `<table>_pYYYYMMDD`), so a table name longer than 51 characters is refused.
 *
 * @throws InvalidIdentifierError when the table, schema or a derived name is not a plain identifier.
 * @example
 * ```ts
 * for (const statement of inboxTableDdl({ schema: 'messaging' })) await pool.query(statement);
 * ```
 */
export function inboxTableDdl(location: TableLocation = {}): string[] {
  const base = location.tableName ?? DEFAULT_INBOX_TABLE;
  const names = inboxPartitionNames(location);
  const table = names.parent;
  const derived = (suffix: string) => quoteIdentifier('index name (derived from the table name)', `${base}${suffix}`);
  const expiresIndex = derived('_expires_idx');
  const defaultName = derived('_default');
  // message_id is text: consumers may dedup on ids that are not uuids.
  // locked_by holds the lease token of the handleOnce call that owns an in_progress record.
  const columns = `consumer text NOT NULL,
      message_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('in_progress', 'done')),
      locked_by text NULL,
      locked_until timestamptz NULL,
      processed_at timestamptz NULL,
      expires_at timestamptz NOT NULL,
      fingerprint text NULL,
      PRIMARY KEY (consumer, message_id)`;
  return [
    ...(location.schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier('schema name', location.schema)}`]),
    maintenanceBlock(
      table,
      UPGRADE_LOCK_TIMEOUT_MS,
      `  IF to_regclass(${literal(table)}) IS NULL THEN
    CREATE TABLE ${table} (
      ${columns}
    ) PARTITION BY RANGE (message_id);
    CREATE TABLE ${names.defaultPartition} PARTITION OF ${table} DEFAULT;
    -- Retention deletes expired records of the default partition in batches, oldest first.
    CREATE INDEX ${expiresIndex} ON ${table} (expires_at);
  ELSIF (SELECT relkind FROM pg_class WHERE oid = to_regclass(${literal(table)})) = 'r' THEN
    -- The upgrade: today's table becomes the default partition as it is, its indexes renamed out of the way.
    LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE;
    EXECUTE format('ALTER INDEX %s RENAME TO %I',
                   (SELECT conindid::regclass FROM pg_constraint WHERE conrelid = to_regclass(${literal(table)}) AND contype = 'p'),
                   ${literal(`${base}_default_pkey`)});
    ALTER INDEX IF EXISTS ${qualifiedTableName({ schema: location.schema, tableName: `${base}_expires_idx` }, DEFAULT_INBOX_TABLE)}
      RENAME TO ${derived('_default_expires_idx')};
    ALTER TABLE ${table} RENAME TO ${defaultName};
    CREATE TABLE ${table} (LIKE ${names.defaultPartition} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY (consumer, message_id))
      PARTITION BY RANGE (message_id);
    CREATE INDEX ${expiresIndex} ON ${table} (expires_at);
    ALTER TABLE ${table} ATTACH PARTITION ${names.defaultPartition} DEFAULT;
  END IF;`,
    ),
  ];
}

/** The statement that drops the inbox table with all its partitions and indexes. The schema is left in place. */
export function dropInboxTableDdl(location: TableLocation = {}): string[] {
  return [`DROP TABLE IF EXISTS ${qualifiedTableName(location, DEFAULT_INBOX_TABLE)}`];
}
