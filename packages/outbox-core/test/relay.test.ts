import { describe, expect, it, vi } from 'vitest';
import { Relay } from '../src/relay/Relay.js';
import { SafeEmitter } from '../src/relay/SafeEmitter.js';
import type { RelayOptions } from '../src/relay/RelayOptions.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';
import { waitFor } from '../src/testing/waitFor.js';

import { logged, relay } from './support/testRelays.js';

const messages = (n: number, extra: object = {}) => Array.from({ length: n }, (_, i) => ({ subject: 'payment.created', body: { i }, ...extra }));

describe('Relay', () => {
  it('keeps publishing when the logger itself throws', async () => {
    const throwing = () => {
      throw new Error('logger broken');
    };
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().throwNext(1);
    store.failNext('claim', 1);
    store.failNext('markRetry', 3);
    const r = relay({ store, transport, pollIntervalMs: 10, retry: { initialIntervalMs: 1 }, logger: { debug: throwing, info: throwing, warn: throwing, error: throwing } });
    r.on('relay:error', throwing);
    store.add(messages(3));
    await r.start();
    await waitFor(() => {
      store.advanceTime(60_000);
      return store.all().every((row) => row.sentAt !== null);
    });
    expect(new Set(transport.publishedIds).size).toBe(3);
  });

  it('emits message:published only for messages whose sent mark succeeded', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    const r = relay({ store, transport });
    const published: string[] = [];
    r.on('message:published', ({ message }) => void published.push(message.id));
    store.add(messages(2));
    store.failNext('markSent', 3);
    await r.runOnce();
    expect(transport.publishedIds).toHaveLength(2);
    expect(published).toEqual([]);
    store.advanceTime(3_600_000); // the lease runs out: published again (at least once), marked this time
    await r.runOnce();
    expect(published).toHaveLength(2);
  });

  it('builds no per-message events nobody listens to', async () => {
    const emit = vi.spyOn(SafeEmitter.prototype, 'emit');
    try {
      const store = new InMemoryOutboxStore();
      const transport = new TestTransport();
      transport.failWhen({ subject: 'bad' }, { status: 'permanent' });
      const r = relay({ store, transport });
      store.add([...messages(3), { subject: 'bad', body: 1 }]);
      await r.runOnce();
      const perMessage = emit.mock.calls.filter(([event]) => String(event).startsWith('message:'));
      expect(perMessage).toEqual([]);
      r.on('message:dead', () => {});
      store.add({ subject: 'bad', body: 2 });
      await r.runOnce();
      expect(emit.mock.calls.filter(([event]) => String(event).startsWith('message:')).map(([event]) => event)).toEqual(['message:dead']);
    } finally {
      emit.mockRestore();
    }
  });

  it('publishes every message once and marks it sent', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    const rows = store.add(messages(250));
    const counts = await relay({ store, transport, batchSize: 40 }).drain();
    expect(counts).toEqual({ claimed: 250, sent: 250, retried: 0, dead: 0 });
    expect(transport.publishedIds).toEqual(rows.map((r) => r.id));
    expect(store.all().every((r) => r.sentAt !== null && r.lockedBy === null && r.attempts === 1)).toBe(true);
  });

  it('retries a transient failure with a growing availableAt, then sends it', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().failWhen({ subject: 'flaky' }, { error: 'ThrottlingException', times: 3 });
    const [flaky] = store.add({ subject: 'flaky', body: 1 });
    const r = relay({ store, transport, retry: { initialIntervalMs: 1_000, jitter: 0 } });
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      expect(await r.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      const row = store.get(flaky!.id)!;
      expect(row).toMatchObject({ lastError: 'ThrottlingException', lockedBy: null, sentAt: null });
      delays.push(row.availableAt.getTime() - before);
      expect(await r.runOnce()).toMatchObject({ claimed: 0 }); // backing off
      // The relay dates backoffs by the wall clock: move the store's clock just past this one.
      store.advanceTime(row.availableAt.getTime() - store.now() + 1);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(1_000);
    expect(delays[1]).toBeGreaterThanOrEqual(2_000);
    expect(delays[2]).toBeGreaterThanOrEqual(4_000);
    expect(await r.runOnce()).toMatchObject({ sent: 1 });
    expect(store.get(flaky!.id)).toMatchObject({ attempts: 4 });
    expect(store.get(flaky!.id)!.sentAt).toBeInstanceOf(Date);
  });

  it('dead-letters a permanent failure with its error text and sends the others', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().failWhen({ subject: 'bad' }, { status: 'permanent', error: 'NotFoundException: no topic' });
    const [, bad] = store.add([{ subject: 'ok', body: 1 }, { subject: 'bad', body: 2 }, { subject: 'ok', body: 3 }]);
    const dead: string[] = [];
    const r = relay({ store, transport });
    r.on('message:dead', ({ message, error }) => void dead.push(`${message.id} ${error}`));
    expect(await r.runOnce()).toEqual({ claimed: 3, sent: 2, retried: 0, dead: 1 });
    expect(store.get(bad!.id)).toMatchObject({ lastError: 'NotFoundException: no topic', sentAt: null, lockedBy: null });
    expect(store.get(bad!.id)!.deadAt).toBeInstanceOf(Date);
    expect(store.all().filter((row) => row.sentAt !== null)).toHaveLength(2);
    expect(dead).toEqual([`${bad!.id} NotFoundException: no topic`]);
  });

  it('dead-letters a message whose maxAttempts are used up', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().failWhen({ subject: 'flaky' }, { error: 'timeout' });
    const [row] = store.add({ subject: 'flaky', body: 1 });
    const r = relay({ store, transport, retry: { maxAttempts: 3 } });
    for (let i = 0; i < 3; i++) {
      await r.runOnce();
      store.advanceTime(120_000);
    }
    expect(store.get(row!.id)).toMatchObject({ attempts: 3, lastError: 'timeout' });
    expect(store.get(row!.id)!.deadAt).toBeInstanceOf(Date);
    expect(await r.runOnce()).toMatchObject({ claimed: 0 });
  });

  it('treats a transport that throws as a retry of every message of the call', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport().throwNext(1, new Error('ECONNRESET'));
    store.add(messages(3));
    const r = relay({ store, transport });
    const stages: string[] = [];
    r.on('relay:error', ({ stage }) => void stages.push(stage));
    expect(await r.runOnce()).toEqual({ claimed: 3, sent: 0, retried: 3, dead: 0 });
    expect(store.all().map((row) => row.lastError)).toEqual(['Error: ECONNRESET', 'Error: ECONNRESET', 'Error: ECONNRESET']);
    expect(stages).toEqual(['publish']);
    store.advanceTime(120_000);
    expect(await r.runOnce()).toMatchObject({ sent: 3 });
  });

  it('dead-letters at once a retryable error that the nonRetryable classifier claims', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport()
      .failWhen({ subject: 'auth' }, { error: 'AuthorizationErrorException: not allowed' })
      .failWhen({ subject: 'slow' }, { error: 'Throttled' });
    const [auth, slow] = store.add([{ subject: 'auth', body: 1 }, { subject: 'slow', body: 2 }]);
    const r = relay({ store, transport, retry: { nonRetryable: (error) => error.startsWith('AuthorizationError') } });
    expect(await r.runOnce()).toMatchObject({ retried: 1, dead: 1 });
    expect(store.get(auth!.id)!.deadAt).toBeInstanceOf(Date);
    expect(store.get(slow!.id)).toMatchObject({ deadAt: null, lastError: 'Throttled' });
  });

  it('refuses bad options with InvalidOptionError naming the option', () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    const bad: [Partial<RelayOptions>, string][] = [
      [{ batchSize: 0 }, 'batchSize'],
      [{ maxInFlight: 1.5 }, 'maxInFlight'],
      [{ pollIntervalMs: -1 }, 'pollIntervalMs'],
      [{ leaseMs: Number.NaN }, 'leaseMs'],
      [{ statsIntervalMs: -5 }, 'statsIntervalMs'],
      [{ ordered: 'yes' as unknown as boolean }, 'ordered'],
      [{ relayId: '' }, 'relayId'],
      [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
      [{ retry: { jitter: 2 } }, 'retry.jitter'],
      [{ retry: { backoffCoefficient: 0.5 } }, 'retry.backoffCoefficient'],
      [{ retry: { initialIntervalMs: 5_000, maxIntervalMs: 1_000 } }, 'retry.maxIntervalMs'],
      [{ retry: { nonRetryable: 'x' as unknown as () => boolean } }, 'retry.nonRetryable'],
      [{ transport: {} as TestTransport }, 'transport'],
      [{ store: { claim: () => [] } as unknown as InMemoryOutboxStore }, 'store'],
    ];
    for (const [options, option] of bad) {
      expect(() => new Relay({ store, transport, ...options })).toThrowError(
        expect.objectContaining({ name: 'InvalidOptionError', option, message: expect.stringContaining(option) }),
      );
    }
  });

  it('keeps going when an event listener throws, and logs it', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    const r = relay({ store, transport, pollIntervalMs: 10 });
    r.on('message:published', () => {
      throw new Error('listener bug');
    });
    r.on('batch:published', async () => {
      throw new Error('async listener bug');
    });
    await r.start();
    store.add(messages(5));
    await waitFor(() => store.all().every((row) => row.sentAt !== null));
    store.add(messages(5));
    await waitFor(() => store.all().filter((row) => row.sentAt !== null).length === 10);
    expect(logged.some((l) => l.level === 'error' && l.message.includes('"message:published"'))).toBe(true);
    await waitFor(() => logged.some((l) => l.message.includes('"batch:published"')));
    expect(r.running).toBe(true);
  });

  it('survives a store whose claim fails a few times, reporting each failure', async () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    store.failNext('claim', 3, new Error('connection terminated'));
    store.add(messages(4));
    const r = relay({ store, transport, pollIntervalMs: 10 });
    const errors: string[] = [];
    r.on('relay:error', ({ stage, error }) => void errors.push(`${stage}: ${(error as Error).message}`));
    await r.start();
    await waitFor(() => store.all().every((row) => row.sentAt !== null));
    expect(errors).toEqual(Array(3).fill('claim: connection terminated'));
  });

  it('tries a failing mark again, so a short store hiccup loses nothing', async () => {
    const store = new InMemoryOutboxStore();
    store.failNext('markSent', 2);
    const [row] = store.add({ subject: 's', body: 1 });
    expect(await relay({ store, transport: new TestTransport() }).runOnce()).toMatchObject({ sent: 1 });
    expect(store.get(row!.id)!.sentAt).toBeInstanceOf(Date);
  });

  it('fences a relay whose lease ran out: its late mark does not overwrite the new owner', async () => {
    const store = new InMemoryOutboxStore();
    const slow = new TestTransport().hold().failWhen(() => true, { status: 'permanent', error: 'late verdict' });
    const [row] = store.add({ subject: 's', body: 1 });
    const stale = relay({ store, transport: slow, leaseMs: 1_000 });
    const staleRun = stale.runOnce();
    await waitFor(() => slow.pending === 1);
    store.advanceTime(1_001);
    const fresh = new TestTransport();
    expect(await relay({ store, transport: fresh }).runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    slow.release();
    await staleRun;
    expect(store.get(row!.id)).toMatchObject({ deadAt: null, lastError: null, attempts: 2 });
    expect(store.get(row!.id)!.sentAt).toBeInstanceOf(Date);
  });

  it('emits relay:backlog from store.stats() every statsIntervalMs', async () => {
    const store = new InMemoryOutboxStore();
    store.add(messages(3, { delayMs: 3_600_000 }));
    const r = relay({ store, transport: new TestTransport(), statsIntervalMs: 5 });
    const backlog: { pending: number; dead: number }[] = [];
    r.on('relay:backlog', (stats) => void backlog.push(stats));
    await r.start();
    await waitFor(() => backlog.length >= 2);
    expect(backlog[0]).toMatchObject({ pending: 3, inFlight: 0, dead: 0 });
  });
});
