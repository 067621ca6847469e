// Recovery after a route comes back: a blocked route is probed with one message on a short cadence
// while the rest wait its backoff, and the first message the route takes again brings forward
// everything this relay left waiting on it (blocked and released, or retried after the whole route
// failed), so traffic follows the route, not each message's delay. Times: the store's and the relay's
// clocks are the faked Date (toFake: ['Date'] only; timers stay real).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../src/testing/waitFor.js';
import { ROUTE_PROBE_INTERVAL_MS } from '../src/relay/RouteGate.js';
import { RETRIED_RESUME_COOLDOWN_MS, RouteRecovery, MAX_WAITING_MESSAGES } from '../src/relay/RouteRecovery.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';
import { logged, relay } from './support/testRelays.js';

afterEach(() => vi.useRealTimers());

/** Moves the faked Date (the store's and the relay's clock) forward. */
const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
const waitingFor = (store: InMemoryOutboxStore, ids: string[]) => ids.map((id) => store.get(id)!.availableAt.getTime() - store.now());

describe('Relay: recovery follows the route', () => {
  it('probes a blocked route with one message per interval, holds the rest for the backoff, and brings them forward once the probe goes out', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().failWhen({ subject: 'bad.route' }, { status: 'blocked', error: 'AuthorizationError: 403' });
    const r = relay({ store, transport, retry: { maxAttempts: 1 } });
    const ids = store.add(Array.from({ length: 6 }, (_, i) => ({ subject: 'bad.route', body: { i } }))).map((m) => m.id);

    // Four failed rounds, each after the previous hold: the route's backoff grows to 8 s (±20 %).
    for (const wait of [0, 1_300, 2_500, 4_900]) {
      advance(wait);
      await r.drain();
    }
    const held = waitingFor(store, ids);
    expect(held.filter((ms) => ms === ROUTE_PROBE_INTERVAL_MS)).toHaveLength(1); // the probe
    expect(held.filter((ms) => ms > 6_000)).toHaveLength(5); // the rest: the route's backoff
    expect(ids.every((id) => store.get(id)!.attempts === 0)).toBe(true);

    transport.heal();
    advance(ROUTE_PROBE_INTERVAL_MS + 100);
    await r.drain();
    // The probe went out and brought the rest forward: all sent, seconds before their hold ran out.
    expect(ids.filter((id) => store.get(id)!.sentAt === null)).toEqual([]);
    expect(r.blockedRoutes).toEqual([]);
  });

  it('a fresh message of a route that works again brings forward the blocked ones at once, without their hold', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().failWhen({ subject: 'orders' }, { status: 'blocked', error: 'AuthorizationError: 403' });
    const r = relay({ store, transport });
    const held = store.add(Array.from({ length: 4 }, (_, i) => ({ subject: 'orders', body: { i } }))).map((m) => m.id);
    await r.drain();
    expect(waitingFor(store, held).every((ms) => ms > 0)).toBe(true);

    transport.heal();
    const [fresh] = store.add([{ subject: 'orders', body: 'fresh' }]);
    await r.drain(); // no time passes: only a bring-forward can make the held ones claimable
    expect([fresh!.id, ...held].filter((id) => store.get(id)!.sentAt === null)).toEqual([]);
  });

  it('brings forward the messages retried after their whole route failed, tries kept, at most once per cooldown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().failWhen({ subject: 'orders' }, { status: 'retry', error: 'Throttling: slow down' });
    const r = relay({ store, transport });
    const first = store.add(Array.from({ length: 3 }, (_, i) => ({ subject: 'orders', body: { i } }))).map((m) => m.id);
    await r.drain();
    expect(first.map((id) => store.get(id)!.attempts)).toEqual([1, 1, 1]);

    transport.heal();
    store.add([{ subject: 'orders', body: 'fresh' }]);
    await r.drain();
    expect(first.filter((id) => store.get(id)!.sentAt === null)).toEqual([]);
    expect(first.map((id) => store.get(id)!.attempts)).toEqual([2, 2, 2]); // the try they used stays used

    // Fails and works again within the cooldown: the retried ones wait their own backoff this time.
    transport.failWhen({ subject: 'orders' }, { status: 'retry', error: 'Throttling: slow down' });
    advance(1_000);
    const second = store.add(Array.from({ length: 3 }, (_, i) => ({ subject: 'orders', body: { second: i } }))).map((m) => m.id);
    await r.drain();
    transport.heal();
    store.add([{ subject: 'orders', body: 'fresh again' }]);
    await r.drain();
    expect(second.filter((id) => store.get(id)!.sentAt === null)).toEqual(second);
    expect(waitingFor(store, second).every((ms) => ms > 0)).toBe(true);
  });

  it('a route that took part of a batch is not "failed": its retried messages wait their own backoff', async () => {
    const store = new InMemoryOutboxStore();
    // One message of the route fails on its own, the others go out in the same batch.
    const [bad] = store.add([{ subject: 'orders', body: 'one bad entry' }]);
    const transport = new TestTransport().failWhen({ id: bad!.id }, { status: 'retry', error: 'InternalError' });
    const r = relay({ store, transport });
    store.add(Array.from({ length: 3 }, (_, i) => ({ subject: 'orders', body: { i } })));
    await r.drain();
    // Not brought forward by its batch-mates' success (that would retry it at once and use a try).
    expect(store.get(bad!.id)!.attempts).toBe(1);
    transport.heal();
    store.add([{ subject: 'orders', body: 'fresh' }]);
    await r.drain();
    expect(store.get(bad!.id)!.sentAt).toBeNull();
    expect(store.get(bad!.id)!.availableAt.getTime()).toBeGreaterThan(store.now());
  });

  it('wakes its claim loop when a probe comes due, without waiting for the poll', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().failWhen({ subject: 'bad.route' }, { status: 'blocked', error: 'AuthorizationError: 403' });
    // An hour's poll: after the first failed round only the probe's wake-up can claim again.
    const r = relay({ store, transport, pollIntervalMs: 3_600_000 });
    const ids = store.add(Array.from({ length: 3 }, (_, i) => ({ subject: 'bad.route', body: { i } }))).map((m) => m.id);
    await r.start();
    await waitFor(() => r.blockedRoutes.length === 1, { description: 'route blocked' });
    transport.heal();
    await waitFor(() => ids.every((id) => store.get(id)!.sentAt !== null), { timeoutMs: 5_000, description: 'published after the probe came due' });
  });

  it('on stop, gives its held messages back for another relay to publish at once', async () => {
    const store = new InMemoryOutboxStore();
    const old = relay({ store, transport: new TestTransport().failWhen({ subject: 'new.subject' }, { status: 'blocked', error: 'UnroutedSubjectError' }) });
    const ids = store.add(Array.from({ length: 3 }, (_, i) => ({ subject: 'new.subject', body: { i } }))).map((m) => m.id);
    await old.drain();
    expect(waitingFor(store, ids).every((ms) => ms > 0)).toBe(true);
    await old.stop();
    expect(waitingFor(store, ids).every((ms) => ms <= 0)).toBe(true);
    const next = relay({ store, transport: new TestTransport() });
    await next.drain();
    expect(ids.filter((id) => store.get(id)!.sentAt === null)).toEqual([]);
  });
});

describe('Relay: a store outage is said once, and its end once', () => {
  it('logs the first failed claim as a warning, the rest at debug, and one line when claims work again', async () => {
    const store = new InMemoryOutboxStore();
    store.failNext('claim', 5, new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const r = relay({ store, transport: new TestTransport(), pollIntervalMs: 50 });
    await r.start();
    await waitFor(() => logged.some((l) => l.message.includes('the store answers again')), { timeoutMs: 10_000, description: 'store back' });
    const claimLines = logged.filter((l) => l.message.includes('claim failed'));
    expect(claimLines).toEqual([{ level: 'warn', message: expect.stringContaining('ECONNREFUSED') }]);
    expect(logged.filter((l) => l.message.includes('the store answers again'))).toEqual([{ level: 'info', message: expect.stringContaining('(5 claims failed)') }]);
  });
});

describe('Relay: marks the store refused are written again once it answers', () => {
  it('marks a published batch sent on the next successful claim instead of publishing it again after the lease', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    // A lease of an hour: without the second write, the batch would sit leased, and go out twice after it.
    const r = relay({ store, transport, leaseMs: 3_600_000 });
    const ids = store.add(Array.from({ length: 3 }, (_, i) => ({ subject: 'orders', body: { i } }))).map((m) => m.id);
    // The sent mark fails all its tries; drain's next claim succeeds (the store answers again) and writes it.
    store.failNext('markSent', 3, new Error('terminating connection due to administrator command'));
    await r.drain();
    await waitFor(() => ids.every((id) => store.get(id)!.sentAt !== null), { description: 'marked sent by the second write' });
    expect(transport.publishedIds.filter((id) => ids.includes(id))).toHaveLength(3); // once each
  });
});

describe('RouteRecovery', () => {
  it('forgets the oldest beyond its cap, and gives released ones on stop', () => {
    const recovery = new RouteRecovery();
    recovery.wait('a', 'released', Array.from({ length: MAX_WAITING_MESSAGES + 2 }, (_, i) => `id-${i}`));
    expect(recovery.size).toBe(MAX_WAITING_MESSAGES);
    recovery.wait('b', 'retried', ['r-1']);
    const released = recovery.takeReleased();
    expect(released).toHaveLength(MAX_WAITING_MESSAGES - 1);
    expect(released).not.toContain('id-0');
    expect(recovery.recovered('b')).toEqual(['r-1']);
  });
});
