import { quoteIdentifier, qualifiedTableName, type TableLocation } from '../identifiers.js';

/** Default name of the inbox table. */
export const DEFAULT_INBOX_TABLE = 'inbox';

/**
 * The statements that create the inbox table of `PostgresInboxStore` and its index, in order.
 * Idempotent (`IF NOT EXISTS`). Used by the TypeORM migration, by plain-pg setups (hence no typeorm
 * import here) and rendered as `sql/inbox.sql`.
 *
 * The index name is derived from the table name (`<table>_expires_idx`), so a table name longer than
 * 51 characters is refused.
 *
 * @throws InvalidIdentifierError when the table, schema or the derived index name is not a plain identifier.
 * @example
 * ```ts
 * for (const statement of inboxTableDdl({ schema: 'messaging' })) await pool.query(statement);
 * ```
 */
export function inboxTableDdl(location: TableLocation = {}): string[] {
  const table = qualifiedTableName(location, DEFAULT_INBOX_TABLE);
  const expiresIndex = quoteIdentifier('index name (derived from the table name)', `${location.tableName ?? DEFAULT_INBOX_TABLE}_expires_idx`);
  return [
    ...(location.schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier('schema name', location.schema)}`]),
    // message_id is text: consumers may dedup on ids that are not uuids.
    // locked_by holds the lease token of the handleOnce call that owns an in_progress record.
    `CREATE TABLE IF NOT EXISTS ${table} (
  consumer text NOT NULL,
  message_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('in_progress', 'done')),
  locked_by text NULL,
  locked_until timestamptz NULL,
  processed_at timestamptz NULL,
  expires_at timestamptz NOT NULL,
  fingerprint text NULL,
  PRIMARY KEY (consumer, message_id)
)`,
    // Retention deletes expired records in batches, oldest first.
    `CREATE INDEX IF NOT EXISTS ${expiresIndex} ON ${table} (expires_at)`,
  ];
}

/** The statement that drops the inbox table (its index goes with it). The schema is left in place. */
export function dropInboxTableDdl(location: TableLocation = {}): string[] {
  return [`DROP TABLE IF EXISTS ${qualifiedTableName(location, DEFAULT_INBOX_TABLE)}`];
}
