import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboxStore } from '../src/InboxStore.js';
import { handleOnce } from '../src/inbox/handleOnce.js';
import { InMemoryInboxStore } from '../src/inbox/InMemoryInboxStore.js';

const key = { consumer: 'billing', messageId: 'm-slow' };
const LEASE_MS = 150;

// Fake timers (the store's clock is Date.now, faked too): a busy machine cannot stretch a 150 ms lease.
beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

/** Runs a handler 4 leases long, and tries a second delivery of the same id after 2.5 leases. */
async function slowAndRedelivered(store: InboxStore, options: { renewLease?: boolean; onRenewError?: (e: unknown) => void } = {}) {
  const runs: string[] = [];
  const first = handleOnce(store, { ...key, leaseMs: LEASE_MS, ...options }, async () => {
    runs.push('first');
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS * 4));
  });
  const firstSettled = first.catch((e: Error) => e);
  await vi.advanceTimersByTimeAsync(LEASE_MS * 2.5);
  const second = await handleOnce(store, { ...key, leaseMs: LEASE_MS }, () => void runs.push('second')).catch((e: Error) => e);
  await vi.advanceTimersByTimeAsync(LEASE_MS * 2);
  const firstOutcome = await firstSettled;
  return { runs, second, firstOutcome };
}

describe('handleOnce renews the inbox lease while the handler runs', () => {
  it('a handler slower than leaseMs keeps the message: the redelivery is told it is in progress, the handler finishes once', async () => {
    const store = new InMemoryInboxStore();
    const { runs, second, firstOutcome } = await slowAndRedelivered(store);
    expect(runs).toEqual(['first']);
    expect(second).toMatchObject({ name: 'MessageInProgressError' });
    expect(firstOutcome).toEqual({ status: 'processed', result: undefined });
    expect((await handleOnce(store, key, () => 'again')).status).toBe('duplicate');
  });

  it('with renewLease: false the lease runs out, a second instance runs it and the first loses its lease', async () => {
    const { runs, second, firstOutcome } = await slowAndRedelivered(new InMemoryInboxStore(), { renewLease: false });
    expect(runs).toEqual(['first', 'second']);
    expect(second).toEqual({ status: 'processed', result: undefined });
    expect(firstOutcome).toMatchObject({ name: 'InboxLeaseLostError' });
  });

  it('a failing renewal is reported and retried; the next one that succeeds still keeps the message', async () => {
    const inner = new InMemoryInboxStore();
    let failures = 1;
    const store: InboxStore = Object.assign(Object.create(inner) as InboxStore, {
      extendLease: (lease: Parameters<NonNullable<InboxStore['extendLease']>>[0], leaseMs: number) =>
        failures-- > 0 ? Promise.reject(new Error('connection reset')) : inner.extendLease(lease, leaseMs),
    });
    const reported: unknown[] = [];
    const { runs, second, firstOutcome } = await slowAndRedelivered(store, { onRenewError: (e) => reported.push(e) });
    expect(reported).toEqual([new Error('connection reset')]);
    expect(runs).toEqual(['first']);
    expect(second).toMatchObject({ name: 'MessageInProgressError' });
    expect(firstOutcome).toMatchObject({ status: 'processed' });
  });

  it('a store without extendLease still works (the lease is then the longest run time)', async () => {
    const inner = new InMemoryInboxStore();
    const store: InboxStore = {
      begin: (o) => inner.begin(o),
      complete: (l, t) => inner.complete(l, t),
      release: (l) => inner.release(l),
      purgeExpired: (n) => inner.purgeExpired(n),
    };
    expect(await handleOnce(store, { ...key, leaseMs: LEASE_MS }, async () => 7)).toEqual({ status: 'processed', result: 7 });
  });

  it('refuses a renewLease that is not a boolean and an onRenewError that is not a function', async () => {
    const store = new InMemoryInboxStore();
    await expect(handleOnce(store, { ...key, renewLease: 'yes' as never }, () => 1)).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'renewLease' });
    await expect(handleOnce(store, { ...key, onRenewError: 1 as never }, () => 1)).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'onRenewError' });
  });
});
