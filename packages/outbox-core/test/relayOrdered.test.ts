import { afterEach, describe, expect, it } from 'vitest';
import { Relay } from '../src/relay/Relay.js';
import type { RelayOptions } from '../src/relay/RelayOptions.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';
import { waitFor } from '../src/testing/waitFor.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const relays: Relay[] = [];
function relay(options: Partial<RelayOptions> & Pick<RelayOptions, 'store' | 'transport'>): Relay {
  const r = new Relay({ logger, ordered: true, statsIntervalMs: 0, relayId: `ordered-${relays.length}`, ...options });
  relays.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

describe('Relay in ordered mode', () => {
  it('publishes each group in seq order, once, while some messages fail transiently', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport({ brokerBatchSize: 3 });
    const rows = store.add(Array.from({ length: 30 }, (_, i) => ({ subject: 's', body: { i }, groupKey: `g${i % 3}` })));
    transport.failWhen({ id: rows[4]!.id }, { times: 2 }); // g1's second message
    transport.failWhen({ id: rows[9]!.id }, { times: 1 }); // g0's fourth message
    const r = relay({ store, transport, batchSize: 7 });
    for (let round = 0; round < 20 && store.all().some((row) => row.sentAt === null); round++) {
      await r.drain();
      store.advanceTime(120_000);
    }
    expect(store.all().every((row) => row.sentAt !== null)).toBe(true);
    expect(new Set(transport.publishedIds).size).toBe(30);
    expect(transport.publishedIds).toHaveLength(30);
    for (const g of ['g0', 'g1', 'g2']) {
      const published = transport.published.filter((m) => m.groupKey === g).map((m) => Number(m.seq));
      expect(published).toEqual([...published].sort((a, b) => a - b));
    }
  });

  it('holds a group while its head backs off, at the head\'s availableAt, and lets other messages through', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    const [g1, g2, other, g3] = store.add([
      { subject: 's', body: 1, groupKey: 'g' },
      { subject: 's', body: 2, groupKey: 'g' },
      { subject: 's', body: 3, groupKey: 'h' },
      { subject: 's', body: 4, groupKey: 'g' },
    ]);
    transport.failWhen({ id: g1!.id }, { error: 'Throttled', times: 1 });
    const r = relay({ store, transport, retry: { initialIntervalMs: 60_000 } });
    expect(await r.runOnce()).toEqual({ claimed: 4, sent: 1, retried: 3, dead: 0 });
    expect(transport.publishedIds).toEqual([other!.id]);
    const head = store.get(g1!.id)!;
    // Held back behind the retrying head: given back with their try not counted; the claim keeps them waiting.
    expect(store.get(g2!.id)).toMatchObject({ attempts: 0, lockedBy: null });
    expect(store.get(g3!.id)).toMatchObject({ attempts: 0, lockedBy: null });
    expect(await r.runOnce()).toMatchObject({ claimed: 0 });
    store.advanceTime(head.availableAt.getTime() - store.now() + 1);
    expect(await r.runOnce()).toMatchObject({ claimed: 3, sent: 3 });
    expect(transport.publishedIds).toEqual([other!.id, g1!.id, g2!.id, g3!.id]);
  });

  it('gives followers of a retrying head their full tries: a long outage dead-letters only the head', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    const [g1, g2, g3] = store.add([1, 2, 3].map((n) => ({ subject: 's', body: n, groupKey: 'g' })));
    transport.throwNext(3, new Error('broker down')); // an outage that outlasts the head's tries
    transport.failWhen({ id: g2!.id }, { error: 'Throttled', times: 1 }); // then one more transient failure
    const r = relay({ store, transport, retry: { maxAttempts: 3, initialIntervalMs: 1_000 } });
    const failed: { id: string; availableAt: Date | null }[] = [];
    r.on('message:failed', ({ message, availableAt }) => void failed.push({ id: message.id, availableAt }));
    for (let round = 0; round < 10 && store.all().some((row) => row.sentAt === null && row.deadAt === null); round++) {
      await r.drain();
      store.advanceTime(600_000);
    }
    expect(store.get(g1!.id)!.deadAt).toBeInstanceOf(Date);
    expect(store.get(g2!.id)).toMatchObject({ deadAt: null, sentAt: expect.any(Date) });
    expect(store.get(g3!.id)).toMatchObject({ deadAt: null, sentAt: expect.any(Date) });
    expect(transport.publishedIds).toEqual([g2!.id, g3!.id]);
    const firstHeadFailure = failed.find((f) => f.id === g1!.id)!;
    expect(failed.find((f) => f.id === g2!.id)!.availableAt).toEqual(firstHeadFailure.availableAt);
  });

  it('skips a dead-lettered head: the group\'s later messages go on, their try not counted', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    const [g1, g2, g3] = store.add([1, 2, 3].map((n) => ({ subject: 's', body: n, groupKey: 'g' })));
    transport.failWhen({ id: g1!.id }, { status: 'permanent', error: 'InvalidParameter' });
    const r = relay({ store, transport });
    const dead: string[] = [];
    r.on('message:dead', ({ message }) => void dead.push(message.id));
    expect(await r.runOnce()).toEqual({ claimed: 3, sent: 0, retried: 2, dead: 1 });
    expect(dead).toEqual([g1!.id]);
    expect(store.get(g2!.id)).toMatchObject({ attempts: 0, lockedBy: null });
    expect(await r.runOnce()).toMatchObject({ claimed: 2, sent: 2 });
    expect(transport.publishedIds).toEqual([g2!.id, g3!.id]);
    expect(store.get(g1!.id)).toMatchObject({ lastError: 'InvalidParameter' });
    expect(store.get(g1!.id)!.deadAt).toBeInstanceOf(Date);
  });

  it('never publishes a message it is still publishing when its lease runs out and it claims it again', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().hold();
    const grouped = store.add([1, 2, 3].map((n) => ({ subject: 's', body: n, groupKey: 'g' })));
    const r = relay({ store, transport, leaseMs: 1_000, pollIntervalMs: 10 });
    await r.start();
    await waitFor(() => transport.pending === 1);
    store.advanceTime(1_001); // the held batch's lease runs out
    const [late] = store.add({ subject: 's', body: 4 });
    await waitFor(() => transport.pending === 2);
    expect(transport.calls[1]!.messages.map((m) => m.id)).toEqual([late!.id]);
    transport.release();
    await waitFor(() => store.all().every((row) => row.sentAt !== null));
    expect(transport.publishedIds.sort()).toEqual([...grouped.map((g) => g.id), late!.id].sort());
  });
});
