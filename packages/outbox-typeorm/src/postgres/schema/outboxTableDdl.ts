import { quoteIdentifier, qualifiedTableName, type TableLocation } from '../identifiers.js';

const DEFAULT_TABLE = 'outbox';

/**
 * The statements that create the outbox table and its indexes, in order. Idempotent (`IF NOT EXISTS`),
 * so running them on an existing outbox changes nothing. Used by the TypeORM migration, by the relay's
 * `migrate` command (plain pg, hence no typeorm import here) and rendered as `sql/outbox.sql`.
 *
 * Index names are derived from the table name (`<table>_pending_idx`, ...) and must themselves be
 * valid identifiers, so a table name longer than 45 characters is refused.
 *
 * @throws InvalidIdentifierError when the table, schema or a derived index name is not a plain identifier.
 * @example
 * ```ts
 * for (const statement of outboxTableDdl({ schema: 'messaging' })) await pool.query(statement);
 * ```
 */
export function outboxTableDdl(location: TableLocation = {}): string[] {
  const table = qualifiedTableName(location, DEFAULT_TABLE);
  const index = indexNames(location.tableName ?? DEFAULT_TABLE);
  const pending = 'sent_at IS NULL AND dead_at IS NULL';
  return [
    ...(location.schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier('schema name', location.schema)}`]),
    `CREATE TABLE IF NOT EXISTS ${table} (
  id uuid PRIMARY KEY,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  subject text NOT NULL,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}',
  group_key text NULL,
  dedup_id text NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  locked_by text NULL,
  locked_until timestamptz NULL,
  last_error text NULL,
  sent_at timestamptz NULL,
  dead_at timestamptz NULL
)`,
    // Pending rows only: the claim's cost does not grow with the number of sent rows kept.
    `CREATE INDEX IF NOT EXISTS ${index.pending} ON ${table} (seq) WHERE ${pending}`,
    // Ordered mode finds each group's head among pending rows (one index descent per group).
    `CREATE INDEX IF NOT EXISTS ${index.groupPending} ON ${table} (group_key, seq) WHERE ${pending} AND group_key IS NOT NULL`,
    // Ordered mode finds the grouped rows not claimable now (leased, backing off, delayed) in one range
    // scan, so a claim skips the groups they block without probing each row (claimOrderedMessages.ts).
    `CREATE INDEX IF NOT EXISTS ${index.groupBlocked} ON ${table} (greatest(available_at, locked_until)) WHERE ${pending} AND group_key IS NOT NULL`,
    // Ordered mode takes free rows (no group) past the rows it walked without reading the grouped ones.
    `CREATE INDEX IF NOT EXISTS ${index.freePending} ON ${table} (seq) WHERE ${pending} AND group_key IS NULL`,
    // Retention deletes the oldest sent rows in batches.
    `CREATE INDEX IF NOT EXISTS ${index.sent} ON ${table} (sent_at) WHERE sent_at IS NOT NULL`,
    // Dead letters are listed and counted by the status command.
    `CREATE INDEX IF NOT EXISTS ${index.dead} ON ${table} (dead_at) WHERE dead_at IS NOT NULL`,
  ];
}

/** The statement that drops the outbox table (its indexes go with it). The schema is left in place. */
export function dropOutboxTableDdl(location: TableLocation = {}): string[] {
  return [`DROP TABLE IF EXISTS ${qualifiedTableName(location, DEFAULT_TABLE)}`];
}

function indexNames(table: string) {
  const name = (suffix: string) => quoteIdentifier('index name (derived from the table name)', `${table}_${suffix}`);
  return {
    pending: name('pending_idx'),
    groupPending: name('group_pending_idx'),
    groupBlocked: name('group_blocked_idx'),
    freePending: name('free_pending_idx'),
    sent: name('sent_idx'),
    dead: name('dead_idx'),
  };
}
