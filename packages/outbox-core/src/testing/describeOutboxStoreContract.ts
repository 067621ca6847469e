import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboxMessage, OutboxMessageInput } from '../OutboxMessage.js';
import type { OutboxStore } from '../OutboxStore.js';
import type { ContractTestApi } from './ContractTestApi.js';
import { itWithFixture } from './itWithFixture.js';

/** What {@link describeOutboxStoreContract} needs of the store under test, fresh for every test. */
export interface OutboxStoreContractFixture {
  /** The store, over an empty outbox. */
  store: OutboxStore;
  /** Commits messages the way the publisher would (in this order); resolves to their ids in that order. */
  insert(messages: readonly OutboxMessageInput[]): Promise<string[]>;
  /** Called after each test: close what the fixture opened. */
  close?(): Promise<void>;
}

const LONG = 600_000;
/** How soon a store must hand out a message whose lease ran out again. */
const RECOVERY_DEADLINE_MS = 5_000;
const ids = (messages: readonly OutboxMessage[]) => messages.map((m) => m.id);
const input = (n: number, extra: Partial<OutboxMessageInput> = {}): OutboxMessageInput => ({ subject: 'contract.test', body: { n }, ...extra });

/**
 * The `OutboxStore` contract as tests: what the relay relies on from any store (claims in `seq` order
 * with a lease, never one message to two live leases, marks fenced by `relayId`, sent and dead are
 * final, release does not count a try, the ordered claim, stats). It observes the store only through
 * the port, so a store of your own can run it. Lease expiry is waited for in real time (tens of ms),
 * and the message it frees must come back within 5 s.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { describeOutboxStoreContract, InMemoryOutboxStore } from '@tx-outbox/outbox-core/testing';
 *
 * describeOutboxStoreContract('InMemoryOutboxStore', async () => {
 *   const store = new InMemoryOutboxStore();
 *   return { store, insert: async (messages) => store.add(messages).map((row) => row.id) };
 * }, { describe, it });
 * ```
 */
export function describeOutboxStoreContract(
  name: string,
  createFixture: () => Promise<OutboxStoreContractFixture>,
  { describe, it }: ContractTestApi,
): void {
  const test = itWithFixture(it, createFixture);
  const claim = (f: OutboxStoreContractFixture, relayId: string, options: { limit?: number; leaseMs?: number; ordered?: boolean } = {}) =>
    f.store.claim({ relayId, limit: options.limit ?? 100, leaseMs: options.leaseMs ?? LONG, ordered: options.ordered ?? false });
  /** Claims with a lease of a few ms and waits until it has run out. */
  const claimAndExpire = async (f: OutboxStoreContractFixture, relayId: string) => {
    const claimed = await claim(f, relayId, { leaseMs: 20 });
    await sleep(80);
    return claimed;
  };
  /**
   * Claims until something comes back, for at most {@link RECOVERY_DEADLINE_MS}: a store may hand out a
   * message whose lease ran out only on a later claim (PostgreSQL: once its sweep comes round).
   */
  const claimRecovered = async (f: OutboxStoreContractFixture, relayId: string) => {
    const deadline = Date.now() + RECOVERY_DEADLINE_MS;
    for (;;) {
      const claimed = await claim(f, relayId);
      if (claimed.length > 0 || Date.now() > deadline) return claimed;
      await sleep(25);
    }
  };

  describe(`${name}: OutboxStore contract`, () => {
    test('claims pending messages in seq order, at most `limit`, with their fields and the try counted', async (f) => {
      const [a, b] = await f.insert([
        input(1, { headers: { h: 'v' }, groupKey: 'g1', dedupId: 'd1' }),
        input(2),
        input(3),
      ]);
      const claimed = await claim(f, 'A', { limit: 2 });
      assert.deepEqual(ids(claimed), [a, b]);
      const [first, second] = claimed as [OutboxMessage, OutboxMessage];
      assert.deepEqual(
        { subject: first.subject, body: JSON.parse(first.payload), headers: first.headers, groupKey: first.groupKey, dedupId: first.dedupId, attempts: first.attempts },
        { subject: 'contract.test', body: { n: 1 }, headers: { h: 'v' }, groupKey: 'g1', dedupId: 'd1', attempts: 1 },
      );
      assert.equal(second.groupKey, null);
      assert.ok(BigInt(second.seq) > BigInt(first.seq), 'seq grows in commit order');
      assert.ok(first.createdAt instanceof Date);
    });

    test('never hands a leased message to another claim', async (f) => {
      await f.insert([input(1), input(2)]);
      assert.equal((await claim(f, 'A')).length, 2);
      assert.deepEqual(await claim(f, 'B'), []);
    });

    test('concurrent claims never share a message', async (f) => {
      const inserted = await f.insert(Array.from({ length: 60 }, (_, n) => input(n)));
      const claims = await Promise.all(Array.from({ length: 6 }, (_, i) => claim(f, `R${i}`, { limit: 15 })));
      const all = claims.flatMap(ids);
      assert.equal(new Set(all).size, all.length, 'a message was handed to two claims');
      assert.deepEqual([...all].sort(), [...inserted].sort());
    });

    test('does not hand out a delayed message before its time', async (f) => {
      const [now] = await f.insert([input(1), input(2, { delayMs: LONG })]);
      assert.deepEqual(ids(await claim(f, 'A')), [now]);
    });

    test('hands out a message whose lease ran out again, counting the try', async (f) => {
      const [id] = await f.insert([input(1)]);
      await claimAndExpire(f, 'A');
      const again = await claimRecovered(f, 'B');
      assert.deepEqual(again.map((m) => [m.id, m.attempts]), [[id, 2]]);
    });

    test('fences marks: a relay whose lease ran out and was re-claimed changes nothing', async (f) => {
      const [id] = (await f.insert([input(1)])) as [string];
      await claimAndExpire(f, 'A');
      assert.equal((await claimRecovered(f, 'B')).length, 1);
      assert.equal(await f.store.markSent('A', [id]), 0, 'late markSent');
      assert.equal(await f.store.markRetry('A', [{ id, delayMs: 0, error: 'late' }]), 0, 'late markRetry');
      assert.equal(await f.store.markDead('A', [{ id, error: 'late' }]), 0, 'late markDead');
      assert.equal(await f.store.release('A', [id]), 0, 'late release');
      // Still B's: not claimable, and B's own mark lands.
      assert.deepEqual(await claim(f, 'C'), []);
      assert.equal(await f.store.markSent('B', [id]), 1);
    });

    test('a sent message is never handed out again, and no later mark brings it back', async (f) => {
      const [id] = (await f.insert([input(1)])) as [string];
      await claim(f, 'A');
      assert.equal(await f.store.markSent('A', [id]), 1);
      assert.equal(await f.store.markRetry('A', [{ id, delayMs: 0, error: 'x' }]), 0);
      assert.equal(await f.store.markDead('A', [{ id, error: 'x' }]), 0);
      assert.equal(await f.store.release('A', [id]), 0);
      assert.deepEqual(await claim(f, 'B'), []);
      assert.deepEqual(await f.store.stats(), { pending: 0, oldestPendingAgeMs: null, inFlight: 0, dead: 0 });
    });

    test('markRetry gives a message back after its delay (by the store clock): not before, then with the try counted', async (f) => {
      const [later, soon] = (await f.insert([input(1), input(2)])) as [string, string];
      await claim(f, 'A');
      const marks = [
        { id: later, delayMs: LONG, error: 'Throttled' },
        { id: soon, delayMs: 0, error: 'Throttled' },
      ];
      assert.equal(await f.store.markRetry('A', marks), 2);
      assert.deepEqual((await claim(f, 'B')).map((m) => [m.id, m.attempts]), [[soon, 2]]);
      const stats = await f.store.stats();
      assert.deepEqual([stats.pending, stats.inFlight, stats.dead], [2, 1, 0]);
    });

    test('a dead message is never handed out again, counts as dead, and no later mark brings it back', async (f) => {
      const [id, other] = (await f.insert([input(1), input(2)])) as [string, string];
      await claim(f, 'A');
      assert.equal(await f.store.markDead('A', [{ id, error: 'NotFound' }]), 1);
      assert.equal(await f.store.markSent('A', [id]), 0);
      assert.equal(await f.store.release('A', [other]), 1);
      assert.deepEqual(ids(await claim(f, 'B')), [other]);
      const stats = await f.store.stats();
      assert.deepEqual([stats.pending, stats.dead], [1, 1]);
    });

    test('release gives messages back at once without counting the try', async (f) => {
      const [id] = (await f.insert([input(1)])) as [string];
      await claim(f, 'A');
      assert.equal(await f.store.release('A', [id]), 1);
      assert.deepEqual((await claim(f, 'B')).map((m) => [m.id, m.attempts]), [[id, 1]]);
    });

    test('release with a delay holds messages back (a blocked route) without counting the try', async (f) => {
      const [held, free] = (await f.insert([input(1), input(2)])) as [string, string];
      await claim(f, 'A');
      assert.equal(await f.store.release('A', [held], { delayMs: LONG, error: 'route blocked' }), 1);
      assert.equal(await f.store.release('A', [free]), 1);
      assert.deepEqual((await claim(f, 'B')).map((m) => [m.id, m.attempts]), [[free, 1]]);
    });

    test('resume brings waiting messages forward, tries untouched, and leaves leased, sent and due ones alone', async (f) => {
      if (!f.store.resume) return; // optional
      const [retried, held, leased, sent] = (await f.insert([input(1), input(2), input(3), input(4)])) as [string, string, string, string];
      await claim(f, 'A');
      await f.store.markRetry('A', [{ id: retried, delayMs: LONG, error: 'throttled' }]);
      await f.store.release('A', [held], { delayMs: LONG, error: 'route blocked' });
      await f.store.markSent('A', [sent]);
      assert.deepEqual(await claim(f, 'B'), [], 'all waiting, leased or sent');
      // `leased` is still A's; `sent` is done; an unknown id is ignored.
      assert.equal(await f.store.resume([retried, held, leased, sent, '00000000-0000-7000-8000-000000000000']), 2);
      assert.deepEqual(
        (await claim(f, 'B')).map((m) => [m.id, m.attempts]),
        [
          [retried, 2],
          [held, 1],
        ],
      );
      assert.equal(await f.store.resume([retried, held]), 0, 'leased by B now');
    });

    test('empty marks are no-ops', async (f) => {
      await f.insert([input(1)]);
      await claim(f, 'A');
      assert.deepEqual(
        [await f.store.markSent('A', []), await f.store.markRetry('A', []), await f.store.markDead('A', []), await f.store.release('A', [])],
        [0, 0, 0, 0],
      );
    });

    test('ordered claims hand out a group from its head, only while nothing of it is leased or backing off', async (f) => {
      const [g1, g2, free, g3] = (await f.insert([
        input(1, { groupKey: 'g' }),
        input(2, { groupKey: 'g' }),
        input(3),
        input(4, { groupKey: 'g' }),
      ])) as [string, string, string, string];
      assert.deepEqual(ids(await claim(f, 'A', { ordered: true, limit: 1 })), [g1]);
      // g1 leased: the rest of group g waits, the ungrouped message does not.
      assert.deepEqual(ids(await claim(f, 'B', { ordered: true })), [free]);
      // A dead head no longer blocks: the group goes on from its next message, in order.
      assert.equal(await f.store.markDead('A', [{ id: g1, error: 'x' }]), 1);
      assert.deepEqual(ids(await claim(f, 'C', { ordered: true })), [g2, g3]);
      // g2 backing off: g3, given back, waits behind it.
      assert.equal(await f.store.markRetry('C', [{ id: g2, delayMs: LONG, error: 'x' }]), 1);
      assert.equal(await f.store.release('C', [g3]), 1);
      assert.deepEqual(await claim(f, 'D', { ordered: true }), []);
    });

    test('reports stats: pending, in flight, dead and the oldest pending age', async (f) => {
      assert.deepEqual(await f.store.stats(), { pending: 0, oldestPendingAgeMs: null, inFlight: 0, dead: 0 });
      const [a] = (await f.insert([input(1), input(2), input(3)])) as [string];
      await claim(f, 'A', { limit: 2 });
      await f.store.markDead('A', [{ id: a, error: 'x' }]);
      const stats = await f.store.stats();
      assert.deepEqual([stats.pending, stats.inFlight, stats.dead], [2, 1, 1]);
      assert.ok(typeof stats.oldestPendingAgeMs === 'number' && stats.oldestPendingAgeMs >= 0);
    });
  });
}
