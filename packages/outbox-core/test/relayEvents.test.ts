// What the relay tells its listeners about a claimed batch: the counts of `batch:published`, the
// `willRetry` flag of `message:failed`, and (ordered mode) the early wake-up that sends a group's
// follower at once when its head was dead-lettered, without waiting for the next poll.
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../src/OutboxMessage.js';
import { Relay } from '../src/relay/Relay.js';
import type { RelayEvents } from '../src/relay/RelayEvents.js';
import type { RelayOptions } from '../src/relay/RelayOptions.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import type { PublishResult, Transport } from '../src/Transport.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const relays: Relay[] = [];
function relay(options: Partial<RelayOptions> & Pick<RelayOptions, 'store' | 'transport'>): Relay {
  const r = new Relay({ logger, relayId: `events-${relays.length}`, statsIntervalMs: 0, ...options });
  relays.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

const bodyOf = (m: OutboxMessage): unknown => JSON.parse(m.payload);

function answering(answer: (message: OutboxMessage, call: number) => PublishResult): Transport {
  let calls = 0;
  return {
    async publish(messages) {
      calls++;
      return messages.map((m) => answer(m, calls));
    },
  };
}

function recorder(r: Relay) {
  const batches: Omit<RelayEvents['batch:published'], 'publishMs'>[] = [];
  const failed: { body: unknown; error: string; willRetry: boolean; availableAt: Date | null }[] = [];
  r.on('batch:published', ({ publishMs, ...counts }) => {
    expect(publishMs).toBeGreaterThanOrEqual(0);
    batches.push(counts);
  });
  r.on('message:failed', ({ message, error, willRetry, availableAt }) => void failed.push({ body: bodyOf(message), error, willRetry, availableAt }));
  return { batches, failed };
}

describe('Relay events', () => {
  it('counts sent, retried and dead in batch:published, and flags only the dead as not retried', async () => {
    const store = new InMemoryOutboxStore();
    store.add(['ok', 'flaky', 'bad', 'ok too'].map((body) => ({ subject: 's', body })));
    const transport = answering((m) =>
      bodyOf(m) === 'flaky' ? { id: m.id, status: 'retry', error: 'Throttled' } : bodyOf(m) === 'bad' ? { id: m.id, status: 'permanent', error: 'TooBig' } : { id: m.id, status: 'sent' },
    );
    const r = relay({ store, transport, retry: { initialIntervalMs: 1_000, jitter: 0 } });
    const { batches, failed } = recorder(r);
    const before = Date.now();
    expect(await r.runOnce()).toEqual({ claimed: 4, sent: 2, retried: 1, dead: 1 });
    expect(batches).toEqual([{ count: 4, sent: 2, retried: 1, dead: 1 }]);
    expect(failed).toEqual([
      { body: 'flaky', error: 'Throttled', willRetry: true, availableAt: expect.any(Date) },
      { body: 'bad', error: 'TooBig', willRetry: false, availableAt: null },
    ]);
    expect(failed[0]!.availableAt!.getTime()).toBeGreaterThanOrEqual(before + 1_000);
  });

  it('counts a follower released behind its group\'s head as retried, and reports it willRetry', async () => {
    const store = new InMemoryOutboxStore();
    store.add([
      { subject: 's', body: 'head', groupKey: 'g' },
      { subject: 's', body: 'follower', groupKey: 'g' },
    ]);
    const transport = answering((m) => (bodyOf(m) === 'head' ? { id: m.id, status: 'retry', error: 'Throttled' } : { id: m.id, status: 'retry', error: '' }));
    const r = relay({ store, transport, ordered: true, retry: { initialIntervalMs: 1_000, jitter: 0 } });
    const { batches, failed } = recorder(r);
    expect(await r.runOnce()).toEqual({ claimed: 2, sent: 0, retried: 2, dead: 0 });
    expect(batches).toEqual([{ count: 2, sent: 0, retried: 2, dead: 0 }]);
    // A follower the transport held back without an error of its own says why it was not sent.
    expect(failed.map(({ body, error, willRetry }) => ({ body, error, willRetry }))).toEqual([
      { body: 'head', error: 'Throttled', willRetry: true },
      { body: 'follower', error: 'not sent: an earlier message of group g failed', willRetry: true },
    ]);
  });

  it('wakes itself to send a follower released behind a dead-lettered head, not waiting for the poll', async () => {
    const store = new InMemoryOutboxStore();
    const [head, follower] = store.add([
      { subject: 's', body: 'head', groupKey: 'g' },
      { subject: 's', body: 'follower', groupKey: 'g' },
    ]);
    // First call: the head is refused for good, the follower held back behind it; later: sent.
    const transport = answering((m, call) =>
      call > 1 ? { id: m.id, status: 'sent' } : bodyOf(m) === 'head' ? { id: m.id, status: 'permanent', error: 'TooBig' } : { id: m.id, status: 'retry', error: '' },
    );
    // A poll far beyond the test's timeout: only the wake-up can send the follower in time.
    const r = relay({ store, transport, ordered: true, pollIntervalMs: 600_000 });
    const published = new Promise<string>((resolve) => r.on('message:published', ({ message }) => resolve(message.id)));
    await r.start();
    expect(await published).toBe(follower!.id);
    expect(store.get(head!.id)).toMatchObject({ deadAt: expect.any(Date), sentAt: null });
    expect(store.get(follower!.id)).toMatchObject({ sentAt: expect.any(Date), deadAt: null });
  });
});
