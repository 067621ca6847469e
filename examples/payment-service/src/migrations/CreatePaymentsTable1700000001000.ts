import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The service's own table. Idempotent, like the library's outbox migration that runs before it. */
export class CreatePaymentsTable1700000001000 implements MigrationInterface {
  name = 'CreatePaymentsTable1700000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS payments (
  id uuid PRIMARY KEY,
  customer_id text NOT NULL,
  amount_cents integer NOT NULL,
  currency text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS payments');
  }
}
