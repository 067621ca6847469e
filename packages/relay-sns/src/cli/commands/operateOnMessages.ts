import { OutboxAdmin, type MessageSelection } from '@tx-outbox/outbox-typeorm/postgres';
import type { RelayCliConfig } from '../configSpec.js';
import { createPool } from '../createPool.js';
import { outboxTableProblem } from '../outboxTableProblem.js';
import type { Logger } from '../logger.js';

/** The operator's commands over a selection of messages, each one `OutboxAdmin` method. */
export type MessageOperation = 'requeue' | 'republish' | 'purge';

/** How the command was asked to run: `--dry-run` only counts, `--yes` confirms a large set. */
export interface OperationFlags {
  dryRun: boolean;
  yes: boolean;
}

/**
 * Runs `requeue`, `republish` or `purge` through {@link OutboxAdmin} and prints one JSON line:
 * `{"matched":n,"requeued":n}` (or `republished` / `purged`), plus `"dryRun":true` on a dry run.
 * A large set without `--yes` throws ConfirmationRequiredError (exit 2), nothing changed.
 */
export async function operateOnMessages(
  operation: MessageOperation,
  config: RelayCliConfig,
  selection: MessageSelection,
  flags: OperationFlags,
  logger: Logger,
  print: (line: string) => void,
): Promise<number> {
  const pool = createPool(config.databaseUrl, 1, logger);
  try {
    const problem = await outboxTableProblem(pool, { ...config, ordered: false });
    if (problem) throw problem;
    const admin = new OutboxAdmin({ pool, tableName: config.table, schema: config.schema, confirmAbove: config.confirmAbove });
    const result = await admin[operation](selection, { dryRun: flags.dryRun, confirm: flags.yes });
    const done = { requeue: 'requeued', republish: 'republished', purge: 'purged' }[operation];
    print(JSON.stringify(result.dryRun ? { matched: result.matched, dryRun: true } : { matched: result.matched, [done]: result.changed }));
    return 0;
  } finally {
    await pool.end();
  }
}
