import { inboxTableDdl, outboxTableDdl } from '@tx-outbox/outbox-typeorm/postgres';
import type { RelayCliConfig } from '../configSpec.js';
import { createPool } from '../createPool.js';
import type { Logger } from '../logger.js';

/** Creates the outbox and inbox tables (idempotent), in one transaction under an advisory lock so concurrent sidecars don't race. */
export async function migrate(config: RelayCliConfig, logger: Logger): Promise<number> {
  const pool = createPool(config.databaseUrl, 1, logger, { longStatements: true });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('tx-outbox:migrate'))");
    const statements = [
      ...outboxTableDdl({ tableName: config.table, schema: config.schema }),
      ...inboxTableDdl({ tableName: config.inboxTable, schema: config.schema }),
    ];
    for (const sql of statements) await client.query(sql);
    await client.query('COMMIT');
    logger.info('migrated', { outboxTable: config.table, inboxTable: config.inboxTable, schema: config.schema ?? null });
    return 0;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
    await pool.end();
  }
}
