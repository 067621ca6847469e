import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The consumer's own tables: what it handled, and how many deliveries it saw. Idempotent. */
export class CreateNotificationTables1700000002000 implements MigrationInterface {
  name = 'CreateNotificationTables1700000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS notifications (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payment_id uuid NOT NULL,
  outbox_message_id uuid NOT NULL,
  handled_at timestamptz NOT NULL DEFAULT now()
)`);
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS consumer_stats (
  consumer text PRIMARY KEY,
  deliveries bigint NOT NULL DEFAULT 0,
  processed bigint NOT NULL DEFAULT 0,
  duplicates bigint NOT NULL DEFAULT 0,
  failed bigint NOT NULL DEFAULT 0
)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS consumer_stats');
    await queryRunner.query('DROP TABLE IF EXISTS notifications');
  }
}
