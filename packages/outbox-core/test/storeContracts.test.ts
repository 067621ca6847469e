// The ports' contract suites against the in-memory stores; outbox-typeorm runs the same suites
// against the PostgreSQL stores (packages/outbox-typeorm/test/storeContracts.test.ts).
import { describe, expect, it } from 'vitest';
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

describe('InMemoryOutboxStore, like the PostgreSQL store', () => {
  it('a message sent after a failed try keeps no lastError', async () => {
    const store = new InMemoryOutboxStore();
    const [{ id }] = store.add({ subject: 'a.b', body: {} }) as [{ id: string }];
    await store.claim({ relayId: 'r', limit: 1, leaseMs: 30_000, ordered: false });
    await store.markRetry('r', [{ id, delayMs: 0, error: 'throttled' }]);
    expect(store.all()[0]!.lastError).toBe('throttled');
    await store.claim({ relayId: 'r', limit: 1, leaseMs: 30_000, ordered: false });
    expect(await store.markSent('r', [id])).toBe(1);
    expect(store.all()[0]).toMatchObject({ lastError: null, attempts: 2 });
  });
});
