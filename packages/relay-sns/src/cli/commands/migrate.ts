import { inboxTableDdl, outboxNames, outboxTableDdl, readOutboxLayout, upgradeOutboxTableDdl, executorFromPg } from '@tx-outbox/outbox-typeorm/internal';
import type { RelayCliConfig } from '../configSpec.js';
import { createPool } from '../createPool.js';
import type { Logger } from '../logger.js';

/**
 * Creates the outbox and inbox tables, or upgrades an outbox table of the 0.1 previews to the slotted
 * layout (online: the relay then moves the old rows across by itself), or applies a changed retention
 * or ordered mode to an existing one. Idempotent; one transaction under an advisory lock, so concurrent
 * sidecars don't race.
 */
export async function migrate(config: RelayCliConfig, logger: Logger): Promise<number> {
  const pool = createPool(config.databaseUrl, 1, logger, { longStatements: true });
  const client = await pool.connect();
  const location = { tableName: config.table, schema: config.schema };
  const layout = { retentionMs: config.retentionMs, ordered: config.ordered };
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('tx-outbox:migrate'))");
    const found = await readOutboxLayout(executorFromPg(client), outboxNames(location));
    const outbox = found.kind === 'legacy' ? upgradeOutboxTableDdl({ ...location, ...layout }) : outboxTableDdl({ ...location, ...layout });
    for (const sql of [...outbox, ...inboxTableDdl({ tableName: config.inboxTable, schema: config.schema })]) await client.query(sql);
    await client.query('COMMIT');
    logger.info(found.kind === 'legacy' ? 'upgraded the outbox table; the relay moves the old rows across' : 'migrated', {
      outboxTable: config.table,
      inboxTable: config.inboxTable,
      schema: config.schema ?? null,
      retentionMs: config.retentionMs,
      ordered: config.ordered,
    });
    return 0;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
    await pool.end();
  }
}
