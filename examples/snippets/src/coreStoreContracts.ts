// README (outbox-core), "Contract suites": a store of your own runs the same tests as the built-in ones.
import type { InboxStore, OutboxMessageInput, OutboxStore } from '@tx-outbox/outbox-core';

declare function createMyOutboxStore(): Promise<OutboxStore & { close(): Promise<void> }>;
declare function insertCommitted(messages: readonly OutboxMessageInput[]): Promise<string[]>;
declare function createMyInboxStore(): InboxStore;

// #region contracts
import { describe, it } from 'vitest';
import { describeInboxStoreContract, describeOutboxStoreContract } from '@tx-outbox/outbox-core/testing';

describeOutboxStoreContract(
  'MyOutboxStore',
  async () => {
    const store = await createMyOutboxStore(); // over an empty outbox
    return { store, insert: (messages) => insertCommitted(messages), close: () => store.close() };
  },
  { describe, it },
);

describeInboxStoreContract('MyInboxStore', async () => ({ store: createMyInboxStore() }), { describe, it });
// #endregion contracts
