import { describe, expect, it } from 'vitest';
import { Relay } from '../src/relay/Relay.js';
import type { RelayEvents } from '../src/relay/RelayEvents.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';
import { logged, relay } from './support/testRelays.js';

function record(r: Relay) {
  const events: { blocked: RelayEvents['route:blocked'][]; unblocked: RelayEvents['route:unblocked'][]; dead: string[]; waiting: Map<string, string | undefined> } = {
    blocked: [],
    unblocked: [],
    dead: [],
    waiting: new Map(),
  };
  r.on('message:failed', ({ message, blockedRoute }) => void events.waiting.set(message.id, blockedRoute));
  r.on('route:blocked', (e) => void events.blocked.push(e));
  r.on('route:unblocked', (e) => void events.unblocked.push(e));
  r.on('message:dead', ({ message }) => void events.dead.push(message.id));
  return events;
}

describe('Relay with a blocked route', () => {
  it('gives its messages back without using a try, says so once, keeps healthy routes flowing, and unblocks when one goes out', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().failWhen({ subject: 'bad.route' }, { status: 'blocked', error: 'AuthorizationError: not allowed' });
    const r = relay({ store, transport, batchSize: 4, retry: { maxAttempts: 1 } });
    const events = record(r);
    const bad = store.add(Array.from({ length: 3 }, (_, i) => ({ subject: 'bad.route', body: { i } })));
    const good = store.add(Array.from({ length: 5 }, (_, i) => ({ subject: 'good.route', body: { i } })));

    await r.drain();
    // maxAttempts 1: a retry or permanent verdict would have dead-lettered them at once.
    expect(events.dead).toEqual([]);
    expect(good.every((m) => store.get(m.id)!.sentAt !== null)).toBe(true);
    for (const m of bad) {
      expect(store.get(m.id)).toMatchObject({ attempts: 0, sentAt: null, deadAt: null, lockedBy: null, lastError: 'AuthorizationError: not allowed' });
      expect(store.get(m.id)!.availableAt.getTime()).toBeGreaterThan(store.now());
    }
    expect(events.blocked).toHaveLength(1);
    expect(events.blocked[0]).toMatchObject({ route: 'bad.route', error: 'AuthorizationError: not allowed', code: 'SimulatedBlock' });
    expect(r.blockedRoutes.map((b) => b.route)).toEqual(['bad.route']);
    expect(logged.filter((l) => l.level === 'error' && l.message.includes('route bad.route is blocked (SimulatedBlock)'))).toHaveLength(1);
    // Each waiting message names its blocked route, so a logger can leave the saying to route:blocked.
    expect(events.waiting).toEqual(new Map(bad.map((m) => [m.id, 'bad.route'])));

    // Still blocked at the next probe: no second event, no try used.
    store.advanceTime(60_000);
    await r.drain();
    expect(events.blocked).toHaveLength(1);
    expect(bad.every((m) => store.get(m.id)!.attempts === 0)).toBe(true);

    // The route is fixed: the messages go out at the next probe, with no requeue.
    transport.heal();
    store.advanceTime(60_000);
    await r.drain();
    expect(bad.every((m) => store.get(m.id)!.sentAt !== null)).toBe(true);
    expect(events.unblocked).toEqual([expect.objectContaining({ route: 'bad.route', reason: 'sent' })]);
    expect(r.blockedRoutes).toEqual([]);
    expect(events.dead).toEqual([]);
  });

  it('ordered: a blocked head holds its group back in order, other groups flow', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().failWhen({ subject: 'new.subject' }, { status: 'blocked', error: 'UnroutedSubjectError: no route' });
    const r = relay({ store, transport, ordered: true, retry: { maxAttempts: 1 } });
    const g = store.add([
      { subject: 'new.subject', body: 1, groupKey: 'g' },
      { subject: 'old.subject', body: 2, groupKey: 'g' },
    ]);
    const other = store.add([{ subject: 'old.subject', body: 3, groupKey: 'h' }]);
    const events = record(r);
    await r.drain();
    // The follower waits behind its blocked head, so it names the head's route, not its own.
    expect(events.waiting).toEqual(new Map(g.map((m) => [m.id, 'new.subject'])));
    expect(store.get(other[0]!.id)!.sentAt).not.toBeNull();
    for (const m of g) expect(store.get(m.id)).toMatchObject({ sentAt: null, deadAt: null, attempts: 0 });
    transport.heal();
    store.advanceTime(60_000);
    await r.drain();
    expect(transport.publishedIds.filter((id) => g.some((m) => m.id === id))).toEqual(g.map((m) => m.id));
  });
});

describe('Relay and a transport that looks at its routes (Transport.open)', () => {
  it('opens the transport once at start with its logger, and shows a route it reports broken as blocked until the recheck finds it working', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    let broken = true;
    const opened: string[] = [];
    Object.assign(transport, {
      open: (context: import('../src/Transport.js').TransportContext) => {
        opened.push('open');
        context.logger.warn('route check: one topic does not exist');
        context.blockRoute({ route: 'arn:aws:sns:eu-west-1:1:missing', error: 'NotFound: Topic does not exist', code: 'NotFound', recheck: async () => (broken ? { error: 'NotFound: still', code: 'NotFound' } : undefined) });
      },
    });
    const r = relay({ store, transport });
    const events = record(r);

    await r.start();
    expect(opened).toEqual(['open']);
    expect(logged).toContainEqual({ level: 'warn', message: 'route check: one topic does not exist' });
    expect(r.blockedRoutes).toMatchObject([{ route: 'arn:aws:sns:eu-west-1:1:missing', code: 'NotFound', error: 'NotFound: Topic does not exist' }]);
    expect(events.blocked).toHaveLength(1);

    broken = false;
    const deadline = Date.now() + 10_000;
    while (r.blockedRoutes.length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.blockedRoutes).toEqual([]);
    expect(events.unblocked).toEqual([expect.objectContaining({ route: 'arn:aws:sns:eu-west-1:1:missing', reason: 'not-seen' })]);
    await r.stop();
    expect(opened).toEqual(['open']);
  });
});
