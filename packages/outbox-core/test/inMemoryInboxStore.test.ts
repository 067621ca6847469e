// The in-memory inbox's edges, on its own clock: a lease or a record runs out exactly at its end,
// a takeover keeps the payload's fingerprint, and a lease that is not (or no longer) the caller's
// changes nothing.
import { describe, expect, it } from 'vitest';
import { InMemoryInboxStore } from '../src/inbox/InMemoryInboxStore.js';

const key = { consumer: 'mailer', messageId: 'm-1' };

function clocked() {
  let t = 1_000;
  const store = new InMemoryInboxStore({ now: () => t });
  return { store, at: (ms: number) => void (t = 1_000 + ms) };
}

async function acquire(store: InMemoryInboxStore, options: { leaseMs?: number; ttlMs?: number; fingerprint?: string } = {}) {
  const begun = await store.begin({ ...key, leaseMs: 100, ttlMs: 1_000, ...options });
  if (begun.outcome !== 'acquired') throw new Error(`expected acquired, got ${begun.outcome}`);
  return { ...key, token: begun.token };
}

describe('InMemoryInboxStore', () => {
  it('lets another consumer instance take a message over exactly when its lease ends', async () => {
    const { store, at } = clocked();
    await acquire(store, { leaseMs: 100 });
    at(99);
    expect(await store.begin({ ...key, leaseMs: 100, ttlMs: 1_000 })).toMatchObject({ outcome: 'in_progress' });
    at(100);
    expect(await store.begin({ ...key, leaseMs: 100, ttlMs: 1_000 })).toMatchObject({ outcome: 'acquired' });
  });

  it('recognises a duplicate until the done record expires, and processes it again from then on', async () => {
    const { store, at } = clocked();
    expect(await store.complete(await acquire(store), 500)).toBe(true);
    at(499);
    expect(await store.begin({ ...key, leaseMs: 100, ttlMs: 1_000 })).toMatchObject({ outcome: 'done' });
    at(500);
    expect(await store.begin({ ...key, leaseMs: 100, ttlMs: 1_000 })).toMatchObject({ outcome: 'acquired' });
  });

  it('keeps the payload fingerprint when a begin without one takes an expired lease over', async () => {
    const { store, at } = clocked();
    await acquire(store, { leaseMs: 100, fingerprint: 'sha-a' });
    at(100);
    await acquire(store, { leaseMs: 100 });
    expect(await store.begin({ ...key, leaseMs: 100, ttlMs: 1_000, fingerprint: 'sha-b' })).toEqual({ outcome: 'mismatch' });
  });

  it('forgets the fingerprint of an expired done record', async () => {
    const { store, at } = clocked();
    await store.complete(await acquire(store, { fingerprint: 'sha-a' }), 500);
    at(500);
    await acquire(store, { leaseMs: 100 });
    at(600);
    expect(await store.begin({ ...key, leaseMs: 100, ttlMs: 1_000, fingerprint: 'sha-b' })).toMatchObject({ outcome: 'acquired' });
  });

  it('refuses complete, extendLease and release for a lease that is not the caller\'s', async () => {
    const { store, at } = clocked();
    const unknown = { ...key, token: 'nobody' };
    expect(await store.complete(unknown, 500)).toBe(false);
    expect(await store.extendLease(unknown, 500)).toBe(false);
    const first = await acquire(store, { leaseMs: 100 });
    at(100);
    const second = await acquire(store, { leaseMs: 100 });
    expect(await store.complete({ ...first }, 500)).toBe(false);
    expect(await store.extendLease(first, 500)).toBe(false);
    await store.release(first);
    expect(store.size).toBe(1);
    expect(await store.begin({ ...key, leaseMs: 100, ttlMs: 1_000 })).toMatchObject({ outcome: 'in_progress' });
    expect(await store.complete(second, 500)).toBe(true);
    expect(await store.extendLease(second, 500)).toBe(false);
  });

  it('purges a done record exactly at its expiry, an abandoned in_progress one only after its ttl and lease', async () => {
    const { store, at } = clocked();
    await store.complete(await acquire(store), 500);
    await store.begin({ consumer: 'mailer', messageId: 'abandoned', leaseMs: 100, ttlMs: 300 });
    await store.begin({ consumer: 'mailer', messageId: 'long-lease', leaseMs: 2_000, ttlMs: 300 });
    at(299);
    expect(await store.purgeExpired(10)).toBe(0);
    at(300);
    expect(await store.purgeExpired(10)).toBe(1); // abandoned: ttl over, lease long over
    at(500);
    expect(await store.purgeExpired(10)).toBe(1); // the done record
    at(1_999);
    expect(await store.purgeExpired(10)).toBe(0); // long-lease still runs
    at(2_000);
    expect(await store.purgeExpired(10)).toBe(1);
    expect(store.size).toBe(0);
  });
});
