import { describe, expect, it } from 'vitest';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';

const claimOpts = { limit: 10, leaseMs: 30_000, ordered: false };

describe('InMemoryOutboxStore', () => {
  it('claims in seq order with a lease, bumps attempts, and does not hand a leased message out twice', async () => {
    const store = new InMemoryOutboxStore();
    const added = store.add([1, 2, 3].map((n) => ({ subject: 's', body: { n } })));
    const first = await store.claim({ ...claimOpts, relayId: 'A', limit: 2 });
    expect(first.map((m) => m.id)).toEqual([added[0]!.id, added[1]!.id]);
    expect(first.map((m) => m.attempts)).toEqual([1, 1]);
    expect(store.get(added[0]!.id)).toMatchObject({ lockedBy: 'A' });
    const second = await store.claim({ ...claimOpts, relayId: 'B' });
    expect(second.map((m) => m.id)).toEqual([added[2]!.id]);
    expect(await store.claim({ ...claimOpts, relayId: 'C' })).toEqual([]);
  });

  it('makes an expired lease claimable again and fences the old owner: its late mark changes nothing', async () => {
    const store = new InMemoryOutboxStore();
    const [row] = store.add({ subject: 's', body: 1 });
    await store.claim({ ...claimOpts, relayId: 'A', leaseMs: 1_000 });
    store.advanceTime(1_001);
    const reclaimed = await store.claim({ ...claimOpts, relayId: 'B' });
    expect(reclaimed.map((m) => m.attempts)).toEqual([2]);
    expect(await store.markDead('A', [{ id: row!.id, error: 'late' }])).toBe(0);
    expect(store.get(row!.id)).toMatchObject({ deadAt: null, lastError: null, lockedBy: 'B' });
    expect(await store.markSent('B', [row!.id])).toBe(1);
    expect(store.get(row!.id)).toMatchObject({ lockedBy: null, lockedUntil: null });
    expect(store.get(row!.id)!.sentAt).toBeInstanceOf(Date);
  });

  it('markRetry moves availableAt forward and records the error; release gives back without counting the try', async () => {
    const store = new InMemoryOutboxStore();
    const [a, b] = store.add([{ subject: 's', body: 1 }, { subject: 's', body: 2 }]);
    await store.claim({ ...claimOpts, relayId: 'A' });
    const availableAt = new Date(store.now() + 60_000);
    expect(await store.markRetry('A', [{ id: a!.id, availableAt, error: 'Throttled' }])).toBe(1);
    expect(await store.release('A', [b!.id])).toBe(1);
    expect(store.get(a!.id)).toMatchObject({ availableAt, lastError: 'Throttled', attempts: 1, lockedBy: null });
    expect(store.get(b!.id)).toMatchObject({ attempts: 0, lockedBy: null });
    expect((await store.claim({ ...claimOpts, relayId: 'A', leaseMs: 600_000 })).map((m) => m.id)).toEqual([b!.id]);
    store.advanceTime(60_000);
    expect((await store.claim({ ...claimOpts, relayId: 'A' })).map((m) => m.id)).toEqual([a!.id]);
  });

  it('ordered claims hand out a group only when nothing of it is leased or backing off, from its head', async () => {
    const store = new InMemoryOutboxStore();
    const [g1, g2, free, g3] = store.add([
      { subject: 's', body: 1, groupKey: 'g' },
      { subject: 's', body: 2, groupKey: 'g' },
      { subject: 's', body: 3 },
      { subject: 's', body: 4, groupKey: 'g' },
    ]);
    const ordered = { ...claimOpts, ordered: true };
    expect((await store.claim({ ...ordered, relayId: 'A', limit: 1 })).map((m) => m.id)).toEqual([g1!.id]);
    // g1 leased: the rest of group g waits, the ungrouped message does not.
    expect((await store.claim({ ...ordered, relayId: 'B' })).map((m) => m.id)).toEqual([free!.id]);
    // g1 backing off: still nothing of g.
    await store.markRetry('A', [{ id: g1!.id, availableAt: new Date(store.now() + 5_000), error: 'x' }]);
    expect(await store.claim({ ...ordered, relayId: 'B' })).toEqual([]);
    store.advanceTime(5_000);
    expect((await store.claim({ ...ordered, relayId: 'B' })).map((m) => m.id)).toEqual([g1!.id, g2!.id, g3!.id]);
  });

  it('reports stats: pending, oldest pending age, in flight, dead', async () => {
    const store = new InMemoryOutboxStore();
    expect(await store.stats()).toEqual({ pending: 0, oldestPendingAgeMs: null, inFlight: 0, dead: 0 });
    const [a] = store.add([{ subject: 's', body: 1 }, { subject: 's', body: 2 }, { subject: 's', body: 3 }]);
    await store.claim({ ...claimOpts, relayId: 'A', limit: 2 });
    await store.markDead('A', [{ id: a!.id, error: 'bad' }]);
    store.advanceTime(2_000);
    const stats = await store.stats();
    expect(stats).toMatchObject({ pending: 2, inFlight: 1, dead: 1 });
    expect(stats.oldestPendingAgeMs).toBeGreaterThanOrEqual(2_000);
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
