import { PostgresOutboxStore, type DeadSelection } from '@tx-outbox/outbox-typeorm/postgres';
import { ConfigError } from '../ConfigError.js';
import type { RelayCliConfig } from '../configSpec.js';
import { createPool } from '../createPool.js';
import type { Logger } from '../logger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The dead messages to requeue, from `--all`, `--id` (repeatable) or `--subject`. */
export function requeueSelection(flags: { all?: boolean; id?: string[]; subject?: string }): DeadSelection {
  const chosen = [flags.all, flags.id?.length, flags.subject].filter(Boolean).length;
  if (chosen !== 1) {
    throw new ConfigError('requeue', 'requeue needs exactly one of --all, --id <uuid> (repeatable) or --subject <subject>.');
  }
  if (flags.all) return 'all';
  if (flags.subject) return { subject: flags.subject };
  for (const id of flags.id!) if (!UUID.test(id)) throw new ConfigError('requeue', `--id must be a message uuid, got ${JSON.stringify(id)}.`);
  return { ids: flags.id! };
}

/** Makes dead messages pending again (attempts reset) and prints how many as JSON. */
export async function requeue(config: RelayCliConfig, selection: DeadSelection, logger: Logger, print: (line: string) => void): Promise<number> {
  const pool = createPool(config.databaseUrl, 1, logger);
  try {
    const store = new PostgresOutboxStore({ pool, tableName: config.table, schema: config.schema });
    const requeued = await store.requeueDead(selection);
    print(JSON.stringify({ requeued }));
    return 0;
  } finally {
    await pool.end();
  }
}
