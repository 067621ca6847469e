import type { MigrationInterface } from 'typeorm';
import { sqlMigration } from './sqlMigration.js';
import type { TableLocation } from '../postgres/identifiers.js';
import { dropOutboxTableDdl, outboxTableDdl } from '../postgres/schema/outboxTableDdl.js';

/** Options of {@link createOutboxMigration}. */
export interface OutboxMigrationOptions extends TableLocation {
  /**
   * Migration name recorded in TypeORM's migrations table. TypeORM reads the last 13 characters as
   * the migration's timestamp, so it must end in 13 digits.
   * @defaultValue `CreateOutboxTable1700000000000`
   */
  name?: string;
}

const DEFAULT_NAME = 'CreateOutboxTable1700000000000';

/**
 * A TypeORM migration class that creates the outbox table (and its schema, if one is given) with the
 * same DDL as `sql/outbox.sql`. Add it to your DataSource's `migrations`. Names are validated now.
 *
 * @throws InvalidIdentifierError for a bad table or schema name; InvalidOptionError for a bad `name`.
 * @example
 * ```ts
 * new DataSource({ type: 'postgres', migrations: [createOutboxMigration({ schema: 'messaging' })] });
 * ```
 */
export function createOutboxMigration(options: OutboxMigrationOptions = {}): new () => MigrationInterface {
  const location: TableLocation = { tableName: options.tableName, schema: options.schema };
  return sqlMigration(options.name ?? DEFAULT_NAME, outboxTableDdl(location), dropOutboxTableDdl(location));
}
