import type { MigrationInterface, QueryRunner } from 'typeorm';
import { InvalidOptionError } from '@tx-outbox/outbox-core';

/**
 * A TypeORM migration class that runs the given statements up and down. TypeORM reads the last 13
 * characters of a migration's name as its timestamp, so the name must end in 13 digits.
 *
 * @throws InvalidOptionError for a `name` TypeORM could not order.
 */
export function sqlMigration(name: string, up: readonly string[], down: readonly string[]): new () => MigrationInterface {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*\d{13}$/.test(name)) {
    throw new InvalidOptionError('name', 'a class-like name ending in a 13-digit timestamp (e.g. "CreateOutboxTable1700000000000")', name);
  }
  return class SqlMigration implements MigrationInterface {
    name = name;
    async up(queryRunner: QueryRunner): Promise<void> {
      for (const statement of up) await queryRunner.query(statement);
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      for (const statement of down) await queryRunner.query(statement);
    }
  };
}
