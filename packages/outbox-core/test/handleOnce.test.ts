import { describe, expect, it } from 'vitest';
import type { InboxLease } from '../src/InboxStore.js';
import { handleOnce } from '../src/inbox/handleOnce.js';
import { InMemoryInboxStore } from '../src/inbox/InMemoryInboxStore.js';

function fakeClock(start = 1_700_000_000_000) {
  const clock = { now: start, advance: (ms: number) => void (clock.now += ms) };
  return clock;
}

const key = { consumer: 'billing', messageId: 'm-1' };

describe('handleOnce with InMemoryInboxStore', () => {
  it('runs the handler once and reports the later deliveries as duplicates', async () => {
    const store = new InMemoryInboxStore();
    const effects: string[] = [];
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await handleOnce(store, key, () => (effects.push('charged'), 42)));
    expect(effects).toEqual(['charged']);
    expect(outcomes[0]).toEqual({ status: 'processed', result: 42 });
    expect(outcomes.slice(1).map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(outcomes[1]).toMatchObject({ processedAt: expect.any(Date) });
  });

  it('refuses a duplicate that arrives while the first is in progress, then reports it as duplicate', async () => {
    const store = new InMemoryInboxStore();
    let finish!: () => void;
    const first = handleOnce(store, key, () => new Promise<string>((resolve) => (finish = () => resolve('ok'))));
    await new Promise((resolve) => setImmediate(resolve));
    const second = await handleOnce(store, key, () => 'again').catch((e: Error) => e);
    expect(second).toMatchObject({ name: 'MessageInProgressError', consumer: 'billing', messageId: 'm-1', lockedUntil: expect.any(Date) });
    finish();
    expect(await first).toEqual({ status: 'processed', result: 'ok' });
    expect((await handleOnce(store, key, () => 'again')).status).toBe('duplicate');
  });

  it('releases the record when the handler throws, so the redelivery runs it again', async () => {
    const store = new InMemoryInboxStore();
    const effects: number[] = [];
    let calls = 0;
    const handler = () => {
      if (++calls === 1) throw new Error('card service down');
      effects.push(calls);
    };
    await expect(handleOnce(store, key, handler)).rejects.toThrow('card service down');
    expect(store.size).toBe(0);
    expect((await handleOnce(store, key, handler)).status).toBe('processed');
    expect((await handleOnce(store, key, handler)).status).toBe('duplicate');
    expect(effects).toEqual([2]);
  });

  it('retries a complete() that fails transiently instead of releasing, so the handler runs once', async () => {
    const store = new InMemoryInboxStore();
    const complete = store.complete.bind(store);
    let failures = 2;
    store.complete = async (lease: InboxLease, ttlMs: number) => {
      if (failures-- > 0) throw new Error('connection reset');
      return complete(lease, ttlMs);
    };
    let calls = 0;
    expect(await handleOnce(store, key, () => ++calls)).toEqual({ status: 'processed', result: 1 });
    expect((await handleOnce(store, key, () => ++calls)).status).toBe('duplicate');
    expect(calls).toBe(1);
  });

  it('rethrows a complete() that keeps failing without releasing: the handler does not run again within the lease', async () => {
    const store = new InMemoryInboxStore();
    let releases = 0;
    const release = store.release.bind(store);
    store.release = async (lease: InboxLease) => {
      releases += 1;
      return release(lease);
    };
    store.complete = async () => {
      throw new Error('database is down');
    };
    let calls = 0;
    await expect(handleOnce(store, key, () => ++calls)).rejects.toThrow('database is down');
    expect(releases).toBe(0);
    await expect(handleOnce(store, key, () => ++calls)).rejects.toMatchObject({ name: 'MessageInProgressError' });
    expect(calls).toBe(1);
  });

  it('lets another instance take over an expired lease; the late first instance gets InboxLeaseLostError', async () => {
    const clock = fakeClock();
    const store = new InMemoryInboxStore({ now: () => clock.now });
    let finishFirst!: () => void;
    const first = handleOnce(store, { ...key, leaseMs: 1000 }, () => new Promise<void>((resolve) => (finishFirst = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(handleOnce(store, { ...key, leaseMs: 1000 }, () => 'x')).rejects.toMatchObject({ name: 'MessageInProgressError' });
    clock.advance(1001);
    expect(await handleOnce(store, { ...key, leaseMs: 1000 }, () => 'second')).toEqual({ status: 'processed', result: 'second' });
    finishFirst();
    await expect(first).rejects.toMatchObject({ name: 'InboxLeaseLostError', messageId: 'm-1' });
    expect((await handleOnce(store, key, () => 'third')).status).toBe('duplicate');
  });

  it('refuses the same id with a different payload, unless checkPayload is off', async () => {
    const store = new InMemoryInboxStore();
    await handleOnce(store, { ...key, payload: '{"amount":5}' }, () => undefined);
    await expect(handleOnce(store, { ...key, payload: '{"amount":500}' }, () => undefined)).rejects.toMatchObject({
      name: 'PayloadMismatchError',
      consumer: 'billing',
      messageId: 'm-1',
    });
    expect((await handleOnce(store, { ...key, payload: Buffer.from('{"amount":5}') }, () => undefined)).status).toBe('duplicate');
    expect((await handleOnce(store, { ...key, payload: 'other', checkPayload: false }, () => undefined)).status).toBe('duplicate');
  });

  it('keeps consumers apart: each consumer handles the same message once', async () => {
    const store = new InMemoryInboxStore();
    const ran: string[] = [];
    for (const consumer of ['billing', 'mailer', 'billing', 'mailer']) {
      await handleOnce(store, { consumer, messageId: 'm-1' }, () => ran.push(consumer));
    }
    expect(ran).toEqual(['billing', 'mailer']);
  });

  it('forgets done records after ttlMs and purges expired records in batches', async () => {
    const clock = fakeClock();
    const store = new InMemoryInboxStore({ now: () => clock.now });
    for (let i = 0; i < 5; i++) await handleOnce(store, { consumer: 'c', messageId: `old-${i}`, ttlMs: 1000 }, () => i);
    clock.advance(1001);
    await handleOnce(store, { consumer: 'c', messageId: 'fresh', ttlMs: 1000 }, () => 0);
    expect((await handleOnce(store, { consumer: 'c', messageId: 'old-0', ttlMs: 1000 }, () => 'again')).status).toBe('processed');
    const batches = [];
    for (let purged = -1; purged !== 0; ) batches.push((purged = await store.purgeExpired(2)));
    expect(batches).toEqual([2, 2, 0]);
    expect(store.size).toBe(2);
    expect((await handleOnce(store, { consumer: 'c', messageId: 'fresh' }, () => 'x')).status).toBe('duplicate');
  });

  it('validates options by name', async () => {
    const store = new InMemoryInboxStore();
    await expect(handleOnce(store, { consumer: '', messageId: 'm' }, () => 1)).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'consumer' });
    await expect(handleOnce(store, { ...key, leaseMs: 0 }, () => 1)).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'leaseMs' });
    await expect(store.purgeExpired(0)).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'batchSize' });
  });

  it('uses the store method form and a store-provided runAndComplete, releasing when it throws', async () => {
    const seen: string[] = [];
    class TxStore extends InMemoryInboxStore {
      async runAndComplete<T>(lease: InboxLease, ttlMs: number, handler: () => Promise<T>): Promise<T> {
        seen.push('begin tx');
        const result = await handler();
        if (!(await this.complete(lease, ttlMs))) throw new Error('lease lost');
        seen.push('commit');
        return result;
      }
    }
    const store = new TxStore();
    await expect(store.handleOnce(key, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(store.size).toBe(0);
    expect(await store.handleOnce(key, () => 'ok')).toEqual({ status: 'processed', result: 'ok' });
    expect(seen).toEqual(['begin tx', 'begin tx', 'commit']);
  });
});
