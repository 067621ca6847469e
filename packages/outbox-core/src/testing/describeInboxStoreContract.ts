import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleOnce } from '../inbox/handleOnce.js';
import type { InboxBeginResult, InboxLease, InboxStore } from '../InboxStore.js';
import type { ContractTestApi } from './ContractTestApi.js';
import { itWithFixture } from './itWithFixture.js';

/** What {@link describeInboxStoreContract} needs of the store under test, fresh for every test. */
export interface InboxStoreContractFixture {
  /** The store. Tests use fresh random message ids, so an inbox shared between tests is fine. */
  store: InboxStore;
  /** Called after each test: close what the fixture opened. */
  close?(): Promise<void>;
}

const LONG = 600_000;

/**
 * The `InboxStore` contract as tests: what `handleOnce` relies on from any inbox (one owner per
 * `(consumer, messageId)`, writes fenced by the lease token, expired leases taken over, done records
 * reported as duplicates until they expire, fingerprints compared, purge in batches, and
 * `runAndComplete` when the store has it). It observes the store only through the port, so a store of
 * your own can run it. Lease and record expiry are waited for in real time (tens of ms).
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { describeInboxStoreContract } from '@tx-outbox/outbox-core/testing';
 * import { InMemoryInboxStore } from '@tx-outbox/outbox-core';
 *
 * describeInboxStoreContract('InMemoryInboxStore', async () => ({ store: new InMemoryInboxStore() }), { describe, it });
 * ```
 */
export function describeInboxStoreContract(
  name: string,
  createFixture: () => Promise<InboxStoreContractFixture>,
  { describe, it }: ContractTestApi,
): void {
  const withFixture = itWithFixture(it, createFixture);
  const test = (title: string, body: (store: InboxStore) => Promise<void>) => withFixture(title, (fixture) => body(fixture.store));
  const key = (consumer = 'contract') => ({ consumer, messageId: randomUUID() });
  const acquire = async (store: InboxStore, k: { consumer: string; messageId: string }, options: { leaseMs?: number; ttlMs?: number; fingerprint?: string } = {}) => {
    const begun = await store.begin({ ...k, leaseMs: options.leaseMs ?? LONG, ttlMs: options.ttlMs ?? LONG, fingerprint: options.fingerprint });
    assert.equal(begun.outcome, 'acquired', `begin should acquire ${k.messageId}`);
    return { ...k, token: (begun as Extract<InboxBeginResult, { outcome: 'acquired' }>).token } satisfies InboxLease;
  };
  const begin = (store: InboxStore, k: { consumer: string; messageId: string }, fingerprint?: string) =>
    store.begin({ ...k, leaseMs: LONG, ttlMs: LONG, fingerprint });

  describe(`${name}: InboxStore contract`, () => {
    test('begin acquires a new record; another begin while its lease lives reports in_progress', async (store) => {
      const k = key();
      await acquire(store, k);
      const second = await begin(store, k);
      assert.equal(second.outcome, 'in_progress');
      assert.ok(second.outcome === 'in_progress' && second.lockedUntil.getTime() > Date.now());
    });

    test('complete by the owner makes later begins duplicates (done, with processedAt)', async (store) => {
      const k = key();
      const lease = await acquire(store, k);
      assert.equal(await store.complete(lease, LONG), true);
      const again = await begin(store, k);
      assert.equal(again.outcome, 'done');
      assert.ok(again.outcome === 'done' && again.processedAt instanceof Date);
    });

    test('release by the owner frees the record: the next begin acquires it', async (store) => {
      const k = key();
      await store.release(await acquire(store, k));
      await acquire(store, k);
    });

    test('an expired lease is taken over; the late owner can neither complete nor release', async (store) => {
      const k = key();
      const late = await acquire(store, k, { leaseMs: 20 });
      await sleep(80);
      const owner = await acquire(store, k);
      assert.notEqual(owner.token, late.token);
      assert.equal(await store.complete(late, LONG), false, 'a late complete must report the lost lease');
      await store.release(late);
      assert.equal((await begin(store, k)).outcome, 'in_progress', 'a late release must not free the new owner\'s record');
      if (store.runAndComplete) {
        // It may run the handler, but must refuse to complete (rolling back what the handler wrote).
        await assert.rejects(store.runAndComplete(late, LONG, async () => undefined), (error: Error) => error.name === 'InboxLeaseLostError');
        assert.equal((await begin(store, k)).outcome, 'in_progress');
      }
      assert.equal(await store.complete(owner, LONG), true);
    });

    test('keeps consumers apart: the same message id is a new record for another consumer', async (store) => {
      const k = key('billing');
      await store.complete(await acquire(store, k), LONG);
      await acquire(store, { consumer: 'mailer', messageId: k.messageId });
    });

    test('a different fingerprint for the same key is a mismatch; the same one is not', async (store) => {
      const k = key();
      const lease = await acquire(store, k, { fingerprint: 'a' });
      assert.equal((await begin(store, k, 'b')).outcome, 'mismatch');
      assert.equal((await begin(store, k, 'a')).outcome, 'in_progress');
      await store.complete(lease, LONG);
      assert.equal((await begin(store, k, 'b')).outcome, 'mismatch');
      assert.equal((await begin(store, k, 'a')).outcome, 'done');
    });

    test('an expired done record no longer counts; purgeExpired deletes expired records in batches and keeps live ones', async (store) => {
      const expired = [key(), key(), key()];
      for (const k of expired) await store.complete(await acquire(store, k, { ttlMs: 20 }), 20);
      const live = key();
      await store.complete(await acquire(store, live), LONG);
      await sleep(80);
      let purged = 0;
      for (let n = await store.purgeExpired(2); n > 0; n = await store.purgeExpired(2)) {
        assert.ok(n <= 2, `purgeExpired(2) deleted ${n}`);
        purged += n;
      }
      // Other tests may share the inbox: at least our three expired records went.
      assert.ok(purged >= 3, `purged ${purged}`);
      assert.equal((await begin(store, live)).outcome, 'done');
      await acquire(store, expired[0]!);
    });

    test('handleOnce over it: five deliveries have the effect once; a failed handler runs again on redelivery', async (store) => {
      const k = key();
      let effects = 0;
      const statuses: string[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await handleOnce(store, k, () => void effects++)).status);
      assert.deepEqual(statuses, ['processed', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
      assert.equal(effects, 1);
      const failing = key();
      let calls = 0;
      const handler = () => {
        if (++calls === 1) throw new Error('handler failed');
      };
      await assert.rejects(handleOnce(store, failing, handler), /handler failed/);
      assert.equal((await handleOnce(store, failing, handler)).status, 'processed');
      assert.equal(calls, 2);
    });

    test('runAndComplete, when the store has it, returns the handler\'s result and completes; a throw completes nothing', async (store) => {
      if (!store.runAndComplete) return;
      const k = key();
      const lease = await acquire(store, k);
      assert.equal(await store.runAndComplete(lease, LONG, async () => 42), 42);
      assert.equal((await begin(store, k)).outcome, 'done');
      const other = key();
      const otherLease = await acquire(store, other);
      await assert.rejects(store.runAndComplete(otherLease, LONG, async () => Promise.reject(new Error('boom'))), /boom/);
      assert.equal((await begin(store, other)).outcome, 'in_progress');
    });
  });
}
