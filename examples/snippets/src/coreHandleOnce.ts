// README (outbox-core), "Idempotent receipt": handleOnce with the in-memory dedup store.
declare const messageId: string;
declare const rawBody: string;
declare const order: { id: string; total: number };
declare function charge(order: { id: string; total: number }): Promise<void>;
declare const log: { info(message: string): void };

// #region handle-once
import { handleOnce, InMemoryDedupStore } from '@tx-outbox/outbox-core';

const dedup = new InMemoryDedupStore(); // PostgresDedupStore / TransactionalDedupStore in production
const outcome = await handleOnce(dedup, { consumer: 'billing', messageId, payload: rawBody }, () => charge(order));
if (outcome.status === 'duplicate') log.info(`already charged at ${outcome.processedAt.toISOString()}`);
// the same as: await dedup.handleOnce({ consumer: 'billing', messageId, payload: rawBody }, () => charge(order));
// #endregion handle-once
