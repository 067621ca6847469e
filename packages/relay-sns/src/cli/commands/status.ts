import { OutboxAdmin, PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import type { RelayCliConfig } from '../configSpec.js';
import { createPool } from '../createPool.js';
import { outboxTableProblem } from '../outboxTableProblem.js';
import type { Logger } from '../logger.js';

/**
 * Prints the backlog as one JSON object on stdout: pending, oldestPendingAgeMs, inFlight, dead. With
 * `deadLimit`, then one JSON line per dead message (id, subject, attempts, lastError, deadAt), newest first.
 */
export async function status(config: RelayCliConfig, logger: Logger, print: (line: string) => void, deadLimit?: number): Promise<number> {
  const pool = createPool(config.databaseUrl, 1, logger);
  try {
    const problem = await outboxTableProblem(pool, { ...config, ordered: false });
    if (problem) throw problem;
    const store = new PostgresOutboxStore({ pool, tableName: config.table, schema: config.schema });
    print(JSON.stringify(await store.stats()));
    const admin = new OutboxAdmin({ pool, tableName: config.table, schema: config.schema });
    if (deadLimit !== undefined) for (const dead of await admin.listDead({ limit: deadLimit })) print(JSON.stringify(dead));
    return 0;
  } finally {
    await pool.end();
  }
}
