import type { MigrationInterface, QueryRunner } from 'typeorm';
import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { sqlMigration } from './sqlMigration.js';
import type { TableLocation } from '../postgres/identifiers.js';
import { executorFromQueryRunner } from '../postgres/SqlExecutor.js';
import { readOutboxLayout } from '../postgres/maintenance/readOutboxLayout.js';
import type { OutboxLayoutOptions } from '../postgres/schema/outboxLayout.js';
import { outboxNames } from '../postgres/schema/outboxNames.js';
import { dropOutboxTableDdl, outboxTableDdl } from '../postgres/schema/outboxTableDdl.js';
import { upgradeOutboxTableDdl } from '../postgres/schema/upgradeOutboxTableDdl.js';

/** Options of {@link createOutboxMigration}. */
export interface OutboxMigrationOptions extends TableLocation, OutboxLayoutOptions {
  /**
   * Migration name recorded in TypeORM's migrations table. TypeORM reads the last 13 characters as
   * the migration's timestamp, so it must end in 13 digits.
   * @defaultValue `CreateOutboxTable1700000000000`
   */
  name?: string;
}

const DEFAULT_NAME = 'CreateOutboxTable1700000000000';
const DEFAULT_UPGRADE_NAME = 'UpgradeOutboxTable1765000000000';

/**
 * A TypeORM migration class that creates the outbox table (and its schema, if one is given) with the
 * same DDL as `sql/outbox.sql`. Add it to your DataSource's `migrations`, with
 * {@link createOutboxUpgradeMigration} after it. Names are validated now.
 *
 * @throws InvalidIdentifierError for a bad table or schema name; InvalidOptionError for a bad `name` or `retentionMs`.
 * @example
 * ```ts
 * new DataSource({ type: 'postgres', migrations: [createOutboxMigration({ schema: 'messaging' }), createOutboxUpgradeMigration({ schema: 'messaging' })] });
 * ```
 */
export function createOutboxMigration(options: OutboxMigrationOptions = {}): new () => MigrationInterface {
  const { name, ...table } = options;
  return sqlMigration(name ?? DEFAULT_NAME, outboxTableDdl(table), dropOutboxTableDdl(table));
}

/**
 * A TypeORM migration class that upgrades an outbox table of the 0.1 previews to the slotted layout,
 * online (upgradeOutboxTableDdl.ts; the relay moves the old rows across by itself afterwards), and does
 * nothing on a table that has it already. Stop the 0.1 relays first. Its `down` is a no-op: the old rows
 * are no longer in the old layout.
 *
 * @throws InvalidIdentifierError, InvalidOptionError as {@link createOutboxMigration}.
 */
export function createOutboxUpgradeMigration(options: OutboxMigrationOptions = {}): new () => MigrationInterface {
  const { name = DEFAULT_UPGRADE_NAME, ...table } = options;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*\d{13}$/.test(name)) {
    throw new InvalidOptionError('name', 'a class-like name ending in a 13-digit timestamp (e.g. "UpgradeOutboxTable1765000000000")', name);
  }
  const statements = upgradeOutboxTableDdl(table);
  const names = outboxNames(table);
  return class OutboxUpgradeMigration implements MigrationInterface {
    name = name;
    async up(queryRunner: QueryRunner): Promise<void> {
      const found = await readOutboxLayout(executorFromQueryRunner(queryRunner), names);
      if (found.kind !== 'legacy') return;
      for (const statement of statements) await queryRunner.query(statement);
    }
    async down(): Promise<void> {}
  };
}
