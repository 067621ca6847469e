import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import type { RelayCliConfig } from '../configSpec.js';
import { createPool } from '../createPool.js';
import type { Logger } from '../logger.js';

/** Prints the backlog as one JSON object on stdout: pending, oldestPendingAgeMs, inFlight, dead. */
export async function status(config: RelayCliConfig, logger: Logger, print: (line: string) => void): Promise<number> {
  const pool = createPool(config.databaseUrl, 1, logger);
  try {
    const store = new PostgresOutboxStore({ pool, tableName: config.table, schema: config.schema });
    print(JSON.stringify(await store.stats()));
    return 0;
  } finally {
    await pool.end();
  }
}
