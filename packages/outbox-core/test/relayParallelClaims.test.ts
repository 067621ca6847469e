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

/** A store whose claims come back short (one message) although more is claimable, as an ordered claim can. */
class ShortClaimStore extends InMemoryOutboxStore {
  claims = 0;
  override async claim(options: ClaimOptions) {
    this.claims += 1;
    return super.claim({ ...options, limit: 1 });
  }
}

describe('Relay parallel claims', () => {
  it('claims again at once after a short but non-empty batch, and sleeps after an empty one', async () => {
    const store = new ShortClaimStore();
    store.add(Array.from({ length: 5 }, (_, n) => ({ subject: 'short', body: { n } })));
    const transport = new TestTransport();
    const relay = new Relay({ store, transport, logger, statsIntervalMs: 0, batchSize: 10, maxInFlight: 4, pollIntervalMs: 3_600_000 });
    relays.push(relay);
    await relay.start();
    await waitFor(() => store.all().every((row) => row.sentAt !== null));
    expect(transport.publishedIds).toHaveLength(5);
    for (let i = 0; i < 20; i++) await tick();
    // Five claims that brought one message each and one that came back empty; then it sleeps.
    expect(store.claims).toBe(6);
  });

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
