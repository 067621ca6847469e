// What every outbox store must do is in the contract suite (storeContracts.test.ts); these are the
// in-memory store's own test helpers (row view, wake-up on add, failNext).
import { describe, expect, it } from 'vitest';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';

const claimOpts = { limit: 10, leaseMs: 30_000, ordered: false };

describe('InMemoryOutboxStore', () => {
  it('markRetry moves availableAt forward by its delay on the store clock and records the error; release gives back without counting the try', async () => {
    const store = new InMemoryOutboxStore();
    const [a, b] = store.add([{ subject: 's', body: 1 }, { subject: 's', body: 2 }]);
    await store.claim({ ...claimOpts, relayId: 'A' });
    store.advanceTime(3_000_000); // the store's clock, not the caller's, decides
    const before = store.now();
    expect(await store.markRetry('A', [{ id: a!.id, delayMs: 60_000, error: 'Throttled' }])).toBe(1);
    const waits = store.get(a!.id)!.availableAt.getTime() - before;
    expect(waits >= 60_000 && waits <= store.now() - before + 60_000).toBe(true);
    expect(await store.release('A', [b!.id])).toBe(1);
    expect(store.get(a!.id)).toMatchObject({ lastError: 'Throttled', attempts: 1, lockedBy: null });
    expect(store.get(b!.id)).toMatchObject({ attempts: 0, lockedBy: null });
    expect((await store.claim({ ...claimOpts, relayId: 'A', leaseMs: 600_000 })).map((m) => m.id)).toEqual([b!.id]);
    store.advanceTime(60_000);
    expect((await store.claim({ ...claimOpts, relayId: 'A' })).map((m) => m.id)).toEqual([a!.id]);
  });

  it('release with a delay holds the messages back without counting the try and records the error', async () => {
    const store = new InMemoryOutboxStore();
    const [a] = store.add([{ subject: 's', body: 1 }]);
    await store.claim({ ...claimOpts, relayId: 'A' });
    expect(await store.release('A', [a!.id], { delayMs: 4_000, error: 'route blocked' })).toBe(1);
    expect(store.get(a!.id)).toMatchObject({ attempts: 0, lastError: 'route blocked', lockedBy: null });
    expect(await store.claim({ ...claimOpts, relayId: 'A' })).toEqual([]);
    store.advanceTime(4_000);
    expect((await store.claim({ ...claimOpts, relayId: 'A' })).map((m) => m.id)).toEqual([a!.id]);
  });

  it('wakes subscribers when messages are added, until they unsubscribe', async () => {
    const store = new InMemoryOutboxStore();
    let wakes = 0;
    const unsubscribe = await store.subscribe(() => wakes++);
    store.add({ subject: 's', body: 1 });
    await Promise.resolve();
    expect(wakes).toBe(1);
    await unsubscribe();
    store.add({ subject: 's', body: 2 });
    await Promise.resolve();
    expect(wakes).toBe(1);
    expect(store.subscriberCount).toBe(0);
  });

  it('failNext makes the next calls of an operation reject', async () => {
    const store = new InMemoryOutboxStore();
    store.failNext('claim', 2);
    await expect(store.claim({ ...claimOpts, relayId: 'A' })).rejects.toThrow('simulated claim failure');
    await expect(store.claim({ ...claimOpts, relayId: 'A' })).rejects.toThrow();
    await expect(store.claim({ ...claimOpts, relayId: 'A' })).resolves.toEqual([]);
  });
});
