// The ports' contract suites against the in-memory stores; outbox-typeorm runs the same suites
// against the PostgreSQL stores (packages/outbox-typeorm/test/storeContracts.test.ts).
import { describe, it } from 'vitest';
import { InMemoryInboxStore } from '../src/inbox/InMemoryInboxStore.js';
import { describeInboxStoreContract } from '../src/testing/describeInboxStoreContract.js';
import { describeOutboxStoreContract } from '../src/testing/describeOutboxStoreContract.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';

describeOutboxStoreContract(
  'InMemoryOutboxStore',
  async () => {
    const store = new InMemoryOutboxStore();
    return { store, insert: async (messages) => store.add(messages).map((row) => row.id) };
  },
  { describe, it },
);

describeInboxStoreContract('InMemoryInboxStore', async () => ({ store: new InMemoryInboxStore() }), { describe, it });
