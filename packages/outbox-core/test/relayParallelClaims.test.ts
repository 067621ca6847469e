import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClaimOptions } from '../src/OutboxStore.js';
import { Relay } from '../src/relay/Relay.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';
import { waitFor } from '../src/testing/waitFor.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const relays: Relay[] = [];
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

/** An in-memory store whose claims take a few event-loop turns, counting how many run at once. */
class SlowClaimStore extends InMemoryOutboxStore {
  claims = 0;
  concurrent = 0;
  maxConcurrent = 0;
  override async claim(options: ClaimOptions) {
    this.claims += 1;
    this.concurrent += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    try {
      for (let i = 0; i < 5; i++) await tick();
      return await super.claim(options);
    } finally {
      this.concurrent -= 1;
    }
  }
}

describe('Relay parallel claims', () => {
  it('runs several claims at once while batches come back full, publishing each message once', async () => {
    const store = new SlowClaimStore();
    store.add(Array.from({ length: 500 }, (_, n) => ({ subject: 'deep', body: { n } })));
    const transport = new TestTransport();
    const relay = new Relay({ store, transport, logger, statsIntervalMs: 0, batchSize: 10, maxInFlight: 4, pollIntervalMs: 3_600_000 });
    relays.push(relay);
    await relay.start();
    await waitFor(() => store.all().every((row) => row.sentAt !== null));
    expect(store.maxConcurrent).toBeGreaterThan(1);
    expect(store.maxConcurrent).toBeLessThanOrEqual(4);
    expect(transport.publishedIds).toHaveLength(500);
    expect(new Set(transport.publishedIds).size).toBe(500);
  });

  it('polls with a single claim at a time when there is no backlog', async () => {
    const store = new SlowClaimStore();
    const transport = new TestTransport();
    const relay = new Relay({ store, transport, logger, statsIntervalMs: 0, batchSize: 10, maxInFlight: 4, pollIntervalMs: 10 });
    relays.push(relay);
    await relay.start();
    await waitFor(() => store.claims >= 10);
    expect(store.maxConcurrent).toBe(1);
  });
});
