// README (outbox-core), "Idempotent receipt": handleOnce with the in-memory inbox store.
declare const messageId: string;
declare const rawBody: string;
declare const order: { id: string; total: number };
declare function charge(order: { id: string; total: number }): Promise<void>;
declare const log: { info(message: string): void };

// #region handle-once
import { handleOnce, InMemoryInboxStore } from '@tx-outbox/outbox-core';

const inbox = new InMemoryInboxStore(); // PostgresInboxStore / TransactionalInboxStore in production
const outcome = await handleOnce(inbox, { consumer: 'billing', messageId, payload: rawBody }, () => charge(order));
if (outcome.status === 'duplicate') log.info(`already charged at ${outcome.processedAt.toISOString()}`);
// the same as: await inbox.handleOnce({ consumer: 'billing', messageId, payload: rawBody }, () => charge(order));
// #endregion handle-once
