// The relay's data-safety guards, pinned through public behaviour (Relay + InMemoryOutboxStore): every
// broker answer that is not a confirmed publish must leave the message retried or dead-lettered, never
// marked sent. Each test here fails if its decision is changed to `sent` (a silent message loss).
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../src/OutboxMessage.js';
import { publishInBrokerBatches } from '../src/relay/publishInBrokerBatches.js';
import { Relay } from '../src/relay/Relay.js';
import type { RelayOptions } from '../src/relay/RelayOptions.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';
import type { PublishResult, Transport } from '../src/Transport.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const relays: Relay[] = [];
function relay(options: Partial<RelayOptions> & Pick<RelayOptions, 'store' | 'transport'>): Relay {
  const r = new Relay({ logger, relayId: `guard-${relays.length}`, statsIntervalMs: 0, ...options });
  relays.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

/** A transport that answers with whatever `answer` makes of the call (publishing nothing itself). */
function answering(answer: (messages: readonly OutboxMessage[]) => PublishResult[]): Transport & { published: string[] } {
  const published: string[] = [];
  return {
    published,
    async publish(messages) {
      const results = answer(messages);
      for (const r of results) if (r.status === 'sent') published.push(r.id);
      return results;
    },
  };
}

describe('Relay guards: no answer is read as "sent" unless it says sent', () => {
  it('retries a message the transport returned no result for (planMarks: missing result)', async () => {
    const store = new InMemoryOutboxStore();
    const [first, skipped, third] = store.add([1, 2, 3].map((i) => ({ subject: 's', body: i })));
    const transport = answering((messages) => messages.filter((m) => m.id !== skipped!.id).map((m) => ({ id: m.id, status: 'sent' })));
    expect(await relay({ store, transport }).runOnce()).toEqual({ claimed: 3, sent: 2, retried: 1, dead: 0 });
    expect(store.get(skipped!.id)).toMatchObject({ sentAt: null, deadAt: null, lockedBy: null, attempts: 1 });
    expect(store.get(skipped!.id)!.lastError).toMatch(/no result/);
    expect([first, third].every((row) => store.get(row!.id)!.sentAt !== null)).toBe(true);
  });

  it('does not count a result for another id as the message\'s own (planMarks: results matched by id)', async () => {
    const store = new InMemoryOutboxStore();
    const [row] = store.add({ subject: 's', body: 1 });
    const transport = answering(() => [{ id: 'not-a-claimed-id', status: 'sent' }]);
    expect(await relay({ store, transport }).runOnce()).toMatchObject({ sent: 0, retried: 1 });
    expect(store.get(row!.id)).toMatchObject({ sentAt: null, deadAt: null });
  });

  it('retries a `retry` result with a backoff, and dead-letters a `permanent` one (planMarks: retry / dead)', async () => {
    const store = new InMemoryOutboxStore();
    const [flaky, bad] = store.add([{ subject: 'flaky', body: 1 }, { subject: 'bad', body: 2 }]);
    const transport = new TestTransport()
      .failWhen({ subject: 'flaky' }, { error: 'ThrottlingException' })
      .failWhen({ subject: 'bad' }, { status: 'permanent', error: 'NotFoundException' });
    expect(await relay({ store, transport }).runOnce()).toEqual({ claimed: 2, sent: 0, retried: 1, dead: 1 });
    expect(store.get(flaky!.id)).toMatchObject({ sentAt: null, deadAt: null, lastError: 'ThrottlingException' });
    expect(store.get(flaky!.id)!.availableAt.getTime()).toBeGreaterThan(store.now());
    expect(store.get(bad!.id)).toMatchObject({ sentAt: null, lastError: 'NotFoundException' });
    expect(store.get(bad!.id)!.deadAt).toBeInstanceOf(Date);
    expect(transport.publishedIds).toEqual([]);
  });

  it('dead-letters, never sends, a message whose tries are used up (planMarks: maxAttempts)', async () => {
    const store = new InMemoryOutboxStore();
    const [row] = store.add({ subject: 's', body: 1 });
    const transport = new TestTransport().failWhen({ subject: 's' }, { error: 'timeout' });
    const r = relay({ store, transport, retry: { maxAttempts: 1 } });
    expect(await r.runOnce()).toEqual({ claimed: 1, sent: 0, retried: 0, dead: 1 });
    expect(store.get(row!.id)!.deadAt).toBeInstanceOf(Date);
    expect(store.get(row!.id)!.sentAt).toBeNull();
  });

  it('retries every message of a call that throws or times out (Relay.publish: thrown call)', async () => {
    const store = new InMemoryOutboxStore();
    store.add([1, 2].map((i) => ({ subject: 's', body: i })));
    const transport: Transport = {
      publish: () => Promise.reject(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })),
    };
    expect(await relay({ store, transport }).runOnce()).toEqual({ claimed: 2, sent: 0, retried: 2, dead: 0 });
    expect(store.all().map((row) => [row.sentAt, row.deadAt, row.lastError])).toEqual([
      [null, null, 'TimeoutError: socket hang up'],
      [null, null, 'TimeoutError: socket hang up'],
    ]);
  });

  it('in ordered mode gives back, unsent, the later messages of a group whose head failed (planMarks: release)', async () => {
    const store = new InMemoryOutboxStore();
    const [head, next] = store.add([
      { subject: 's', body: 1, groupKey: 'g' },
      { subject: 's', body: 2, groupKey: 'g' },
    ]);
    // The broker reports the later one as retry too (as a transport does for a group it held back).
    const transport = answering((messages) => messages.map((m) => ({ id: m.id, status: 'retry', error: m.id === head!.id ? 'Throttled' : '' })));
    expect(await relay({ store, transport, ordered: true }).runOnce()).toEqual({ claimed: 2, sent: 0, retried: 2, dead: 0 });
    expect(store.get(next!.id)).toMatchObject({ sentAt: null, deadAt: null, lockedBy: null, attempts: 0 });
    expect(store.get(head!.id)).toMatchObject({ sentAt: null, deadAt: null, attempts: 1 });
  });
});

describe('planMarks in ordered mode', () => {
  it('dead-letters a later message of a failed group that the broker refused permanently, instead of releasing it', async () => {
    const store = new InMemoryOutboxStore();
    const [head, bad] = store.add([
      { subject: 's', body: 1, groupKey: 'g' },
      { subject: 's', body: 2, groupKey: 'g' },
    ]);
    const transport = answering((messages) =>
      messages.map((m) => (m.id === head!.id ? { id: m.id, status: 'retry', error: 'Throttled' } : { id: m.id, status: 'permanent', error: 'InvalidParameter' })),
    );
    expect(await relay({ store, transport, ordered: true }).runOnce()).toEqual({ claimed: 2, sent: 0, retried: 1, dead: 1 });
    expect(store.get(bad!.id)!.deadAt).toBeInstanceOf(Date);
    expect(store.get(bad!.id)).toMatchObject({ sentAt: null, lastError: 'InvalidParameter' });
  });
});

describe('publishInBrokerBatches guards', () => {
  it('reports a message that `split` left out of every broker batch as retry, never sent', async () => {
    const store = new InMemoryOutboxStore();
    const rows = store.add([1, 2, 3].map((i) => ({ subject: 's', body: i })));
    const messages = await store.claim({ relayId: 'r', limit: 10, leaseMs: 60_000, ordered: false });
    const sent: string[] = [];
    const results = await publishInBrokerBatches(messages, {
      split: (msgs) => [msgs.filter((m) => m.id !== rows[1]!.id)], // a buggy split drops the second message
      send: async (batch) => batch.map((m) => (sent.push(m.id), { id: m.id, status: 'sent' as const })),
      concurrency: 2,
      ordered: false,
    });
    expect(results.map((r) => r.status)).toEqual(['sent', 'retry', 'sent']);
    expect(results[1]).toMatchObject({ id: rows[1]!.id, error: expect.stringMatching(/left out of every broker batch/) });
    expect(sent).not.toContain(rows[1]!.id);
  });
});

describe('a transport or classifier that throws', () => {
  it('retries the batch a transport threw for, recording the thrown value as the error', async () => {
    const store = new InMemoryOutboxStore();
    const [typed, plain] = store.add([{ subject: 's', body: 1 }, { subject: 's', body: 2 }]);
    const errors = [new TypeError('socket hang up'), 'ECONNRESET'];
    const transport: Transport = {
      async publish() {
        throw errors.shift();
      },
    };
    const r = relay({ store, transport, batchSize: 1 });
    expect(await r.runOnce()).toEqual({ claimed: 1, sent: 0, retried: 1, dead: 0 });
    expect(await r.runOnce()).toEqual({ claimed: 1, sent: 0, retried: 1, dead: 0 });
    expect(store.get(typed!.id)).toMatchObject({ lastError: 'TypeError: socket hang up', sentAt: null, deadAt: null });
    expect(store.get(plain!.id)).toMatchObject({ lastError: 'ECONNRESET', sentAt: null, deadAt: null });
  });

  it('keeps a message retryable when the nonRetryable classifier itself throws', async () => {
    const store = new InMemoryOutboxStore();
    const [row] = store.add({ subject: 's', body: 1 });
    const transport = answering((messages) => messages.map((m) => ({ id: m.id, status: 'retry', error: 'Throttled' })));
    const nonRetryable = () => {
      throw new Error('classifier bug');
    };
    expect(await relay({ store, transport, retry: { nonRetryable } }).runOnce()).toEqual({ claimed: 1, sent: 0, retried: 1, dead: 0 });
    expect(store.get(row!.id)).toMatchObject({ deadAt: null, attempts: 1, lastError: 'Throttled' });
  });
});
