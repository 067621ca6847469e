import type { MigrationInterface } from 'typeorm';
import { sqlMigration } from './sqlMigration.js';
import type { TableLocation } from '../postgres/identifiers.js';
import { inboxTableDdl } from '../postgres/schema/inboxTableDdl.js';

/** Options of {@link createInboxPartitionMigration}. */
export interface InboxPartitionMigrationOptions extends TableLocation {
  /**
   * Migration name recorded in TypeORM's migrations table; it must end in a 13-digit timestamp.
   * @defaultValue `PartitionInboxTable1700000000002`
   */
  name?: string;
}

const DEFAULT_NAME = 'PartitionInboxTable1700000000002';

/**
 * A TypeORM migration class that upgrades an inbox table created before partitioning to the
 * partitioned layout, in place (see inboxTableDdl: the table becomes the default partition, no copy,
 * no scan, locks held for milliseconds), or creates it if it does not exist. For apps that already ran
 * `CreateInboxTable1700000000001`; a new app needs only that one, which now creates the partitioned
 * layout. Its `down` does nothing: the partitioned table works with every version of the stores.
 *
 * @throws InvalidIdentifierError for a bad table or schema name; InvalidOptionError for a bad `name`.
 * @example
 * ```ts
 * new DataSource({ type: 'postgres', migrations: [CreateInboxTable1700000000001, createInboxPartitionMigration()] });
 * ```
 */
export function createInboxPartitionMigration(options: InboxPartitionMigrationOptions = {}): new () => MigrationInterface {
  return sqlMigration(options.name ?? DEFAULT_NAME, inboxTableDdl({ tableName: options.tableName, schema: options.schema }), []);
}
