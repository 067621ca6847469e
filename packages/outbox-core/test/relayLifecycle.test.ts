import { afterEach, describe, expect, it } from 'vitest';
import { Relay } from '../src/relay/Relay.js';
import type { WakeUpMonitor } from '../src/OutboxStore.js';
import type { RelayOptions } from '../src/relay/RelayOptions.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';
import { waitFor } from '../src/testing/waitFor.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const relays: Relay[] = [];
function relay(options: Partial<RelayOptions> & Pick<RelayOptions, 'store' | 'transport'>): Relay {
  const r = new Relay({ logger, statsIntervalMs: 0, relayId: `life-${relays.length}`, ...options });
  relays.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

describe('Relay lifecycle', () => {
  it('gives back a runOnce() claim that returns after stop() began, publishing nothing', async () => {
    const store = new InMemoryOutboxStore();
    const [row] = store.add({ subject: 's', body: 1 });
    let claimReturned!: () => void;
    const gate = new Promise<void>((resolve) => (claimReturned = resolve));
    const claim = store.claim.bind(store);
    store.claim = async (options) => {
      const batch = await claim(options);
      await gate;
      return batch;
    };
    const transport = new TestTransport();
    const r = relay({ store, transport });
    const run = r.runOnce();
    const stopped = r.stop();
    claimReturned();
    expect(await run).toEqual({ claimed: 0, sent: 0, retried: 0, dead: 0 });
    await stopped;
    expect(transport.calls).toHaveLength(0);
    expect(store.get(row!.id)).toMatchObject({ lockedBy: null, attempts: 0, sentAt: null });
  });

  it('a subscribe retry that fails after stop() reports no error and schedules nothing', async () => {
    const store = new InMemoryOutboxStore();
    let subscribeCalls = 0;
    let failRetry!: () => void;
    store.subscribe = async () => {
      subscribeCalls += 1;
      if (subscribeCalls === 1) throw new Error('database down');
      await new Promise<void>((_, reject) => (failRetry = () => reject(new Error('still down'))));
      throw new Error('unreachable');
    };
    const warnings: string[] = [];
    const r = relay({ store, transport: new TestTransport(), logger: { ...logger, warn: (m: string) => void warnings.push(m) } });
    const errors: string[] = [];
    r.on('relay:error', ({ stage }) => void errors.push(stage));
    await r.start();
    expect(errors).toEqual(['subscribe']);
    await waitFor(() => subscribeCalls === 2, { timeoutMs: 5_000 });
    await r.stop();
    failRetry();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['subscribe']);
    expect(warnings).toHaveLength(1);
  });

  it('starts once, publishes on the store\'s wake-up without waiting for the poll, and stops cleanly', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    const r = relay({ store, transport, pollIntervalMs: 3_600_000 });
    const seen: string[] = [];
    r.on('relay:started', () => void seen.push('started'));
    r.on('relay:stopped', () => void seen.push('stopped'));
    await Promise.all([r.start(), r.start()]);
    await r.start();
    expect(store.subscriberCount).toBe(1);
    store.add({ subject: 's', body: 1 });
    await waitFor(() => store.all().every((row) => row.sentAt !== null));
    await r.stop();
    expect(seen).toEqual(['started', 'stopped']);
    expect(store.subscriberCount).toBe(0);
    expect(transport.closed).toBe(true);
    await expect(r.start()).rejects.toMatchObject({ name: 'OutboxError' });
  });

  it('stop() waits for the batch in flight to be published and marked, leaving nothing leased', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().hold();
    store.add(Array.from({ length: 30 }, (_, i) => ({ subject: 's', body: i })));
    const r = relay({ store, transport, batchSize: 10, maxInFlight: 2 });
    await r.start();
    await waitFor(() => transport.pending === 2);
    let stopped = false;
    const stopping = r.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    transport.release();
    await stopping;
    const rows = store.all();
    expect(rows.filter((row) => row.sentAt !== null)).toHaveLength(20);
    expect(rows.every((row) => row.lockedBy === null)).toBe(true);
    // Nothing claimed after stop(): the last 10 were never tried.
    expect(rows.filter((row) => row.attempts === 0)).toHaveLength(10);
  });

  it('two relays on one store publish every message exactly once', async () => {
    const store = new InMemoryOutboxStore();
    const transports = [new TestTransport(), new TestTransport()];
    const rows = store.add(Array.from({ length: 500 }, (_, i) => ({ subject: 's', body: i })));
    for (const transport of transports) await relay({ store, transport, batchSize: 20, maxInFlight: 3, pollIntervalMs: 5 }).start();
    await waitFor(() => store.all().every((row) => row.sentAt !== null));
    const published = transports.flatMap((t) => t.publishedIds);
    expect(published).toHaveLength(500);
    expect(new Set(published)).toEqual(new Set(rows.map((r) => r.id)));
    expect(transports.every((t) => t.publishedIds.length > 0)).toBe(true);
  });

  it('two ordered relays on one store keep each group in seq order', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    store.add(Array.from({ length: 200 }, (_, i) => ({ subject: 's', body: i, groupKey: `g${i % 5}` })));
    for (let i = 0; i < 2; i++) await relay({ store, transport, ordered: true, batchSize: 7, maxInFlight: 3, pollIntervalMs: 5 }).start();
    await waitFor(() => store.all().every((row) => row.sentAt !== null));
    expect(transport.publishedIds).toHaveLength(200);
    for (let g = 0; g < 5; g++) {
      const seqs = transport.published.filter((m) => m.groupKey === `g${g}`).map((m) => Number(m.seq));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('reports lost wake-ups once (a warning, relay:error, wakeup:lost), keeps polling, and says when they are back', async () => {
    const store = new InMemoryOutboxStore();
    let monitor: WakeUpMonitor | undefined;
    // Its wake-ups never arrive, as behind a transaction-mode pooler: only the poll can publish.
    store.subscribe = async (_onWake, m) => {
      monitor = m;
      return async () => {};
    };
    const warnings: string[] = [];
    const infos: string[] = [];
    const transport = new TestTransport();
    const r = relay({
      store,
      transport,
      pollIntervalMs: 20,
      logger: { ...logger, warn: (m: string) => void warnings.push(m), info: (m: string) => void infos.push(m) },
    });
    const seen: string[] = [];
    r.on('relay:error', ({ stage }) => void seen.push(`relay:error ${stage}`));
    r.on('wakeup:lost', ({ error }) => void seen.push(`wakeup:lost ${error.message}`));
    r.on('wakeup:restored', () => void seen.push('wakeup:restored'));
    await r.start();
    monitor!.lost(new Error('notifications dropped by a pooler; set a listen URL'));
    expect(seen).toEqual(['relay:error wakeup', 'wakeup:lost notifications dropped by a pooler; set a listen URL']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('notifications dropped by a pooler; set a listen URL');
    // Still publishing meanwhile, on the poll.
    const [row] = store.add({ subject: 'polled', body: 1 });
    await waitFor(() => transport.publishedIds.includes(row!.id), { timeoutMs: 5_000 });
    monitor!.restored();
    expect(seen.at(-1)).toBe('wakeup:restored');
    expect(infos.some((m) => m.includes('wake-ups arrive again'))).toBe(true);
  });
});
