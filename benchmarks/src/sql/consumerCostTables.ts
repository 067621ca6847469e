import type pg from 'pg';
import { inboxTableDdl } from '@tx-outbox/outbox-typeorm/internal';

/** The business table of scenario 12's handler: no key, so a message handled twice shows as two rows. */
export const CONSUMER_EFFECTS_TABLE = 'consumer_effects';

/** The handler's one business row. $1 outbox id, $2 subject. */
export const INSERT_EFFECT = `INSERT INTO ${CONSUMER_EFFECTS_TABLE} (message_id, subject) VALUES ($1, $2)`;

/** Creates the business table and the inbox (the library's DDL). No parameters. */
export async function createConsumerCostTables(pool: pg.Pool): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS ${CONSUMER_EFFECTS_TABLE} (message_id text NOT NULL, subject text NOT NULL, handled_at timestamptz NOT NULL DEFAULT now())`);
  for (const statement of inboxTableDdl()) await pool.query(statement);
}

/** Empties both before a run. No parameters. */
export async function truncateConsumerCostTables(pool: pg.Pool): Promise<void> {
  await pool.query(`TRUNCATE ${CONSUMER_EFFECTS_TABLE}, inbox`);
}

/** Rows and distinct ids of the business table after a run: equal when every message was handled once. No parameters. */
export async function countEffects(pool: pg.Pool): Promise<{ rows: number; ids: number }> {
  const { rows } = await pool.query<{ rows: number; ids: number }>(`SELECT count(*)::int AS rows, count(DISTINCT message_id)::int AS ids FROM ${CONSUMER_EFFECTS_TABLE}`);
  return rows[0]!;
}
