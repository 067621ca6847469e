import type { MigrationInterface } from 'typeorm';
import { sqlMigration } from './sqlMigration.js';
import type { TableLocation } from '../postgres/identifiers.js';
import { dropInboxTableDdl, inboxTableDdl } from '../postgres/schema/inboxTableDdl.js';

/** Options of {@link createInboxMigration}. */
export interface InboxMigrationOptions extends TableLocation {
  /**
   * Migration name recorded in TypeORM's migrations table. TypeORM reads the last 13 characters as
   * the migration's timestamp, so it must end in 13 digits.
   * @defaultValue `CreateInboxTable1700000000001`
   */
  name?: string;
}

const DEFAULT_NAME = 'CreateInboxTable1700000000001';

/**
 * A TypeORM migration class that creates the inbox table of `PostgresInboxStore` (and its
 * schema, if one is given) with the same DDL as `sql/inbox.sql`: partitioned by day of message id
 * (see inboxTableDdl), or an unpartitioned one upgraded in place. Add it to your DataSource's
 * `migrations`. Names are validated now.
 *
 * @throws InvalidIdentifierError for a bad table or schema name; InvalidOptionError for a bad `name`.
 * @example
 * ```ts
 * new DataSource({ type: 'postgres', migrations: [createInboxMigration({ schema: 'messaging' })] });
 * ```
 */
export function createInboxMigration(options: InboxMigrationOptions = {}): new () => MigrationInterface {
  const location: TableLocation = { tableName: options.tableName, schema: options.schema };
  return sqlMigration(options.name ?? DEFAULT_NAME, inboxTableDdl(location), dropInboxTableDdl(location));
}
