import type { SqlExecutor } from '../postgres/SqlExecutor.js';

/**
 * Signals relays LISTENing on the outbox channel. Sent inside the writing transaction: PostgreSQL
 * delivers it only at commit (never after a rollback) and folds identical notifications of one
 * transaction into one, so calling it once per `sendEvents` is cheap.
 *
 * $1 text  channel name
 */
export async function notifyOutbox(executor: SqlExecutor, channel: string): Promise<void> {
  await executor.query(`SELECT pg_notify($1, '')`, [channel]);
}
