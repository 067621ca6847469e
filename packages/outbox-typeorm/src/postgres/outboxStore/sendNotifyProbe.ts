import type { SqlExecutor } from '../SqlExecutor.js';

/**
 * Sends a probe notification on the outbox's channel, autocommitted so it is delivered at once.
 * It goes over the store's pool, not the LISTEN connection: a session hears its own notifications
 * before its query returns, which a transaction-mode pooler forwards, so a probe sent on the
 * listening connection would arrive even where every real one is lost.
 *
 * $1 channel, $2 payload (the probe token; relays that hear someone else's ignore it).
 */
export async function sendNotifyProbe(db: SqlExecutor, channel: string, payload: string): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [channel, payload]);
}
