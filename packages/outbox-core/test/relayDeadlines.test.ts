import { describe, expect, it } from 'vitest';
import type { OutboxStore } from '../src/OutboxStore.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';
import { waitFor } from '../src/testing/waitFor.js';
import { relay } from './support/testRelays.js';

/** The in-memory store, but its next `silent` calls of `operation` never answer (a connection gone silent). */
function silentStore(inner: InMemoryOutboxStore, operation: 'claim' | 'markSent', silent: number): OutboxStore {
  let left = silent;
  const never = new Promise<never>(() => {});
  return {
    claim: (o) => (operation === 'claim' && left-- > 0 ? never : inner.claim(o)),
    markSent: (r, ids) => (operation === 'markSent' && left-- > 0 ? never : inner.markSent(r, ids)),
    markRetry: (r, m) => inner.markRetry(r, m),
    markDead: (r, m) => inner.markDead(r, m),
    release: (r, ids, o) => inner.release(r, ids, o),
    stats: () => inner.stats(),
  };
}

describe('Relay deadlines on the store', () => {
  it('a claim that never answers fails with StoreTimeoutError, is retried, and the messages go out', async () => {
    const inner = new InMemoryOutboxStore();
    const rows = inner.add([{ subject: 's', body: 1 }, { subject: 's', body: 2 }]);
    const transport = new TestTransport();
    const r = relay({ store: silentStore(inner, 'claim', 1), transport, storeTimeoutMs: 50, pollIntervalMs: 20 });
    const errors: string[] = [];
    r.on('relay:error', ({ stage, error }) => void errors.push(`${stage}:${(error as Error).name}`));
    await r.start();
    await waitFor(() => rows.every((m) => inner.get(m.id)!.sentAt !== null), { timeoutMs: 5_000 });
    expect(errors[0]).toBe('claim:StoreTimeoutError');
    await r.stop();
  });

  it('stop() returns although a mark never answers', async () => {
    const inner = new InMemoryOutboxStore();
    inner.add([{ subject: 's', body: 1 }]);
    const transport = new TestTransport();
    const r = relay({ store: silentStore(inner, 'markSent', 100), transport, storeTimeoutMs: 30, pollIntervalMs: 20 });
    const errors: string[] = [];
    r.on('relay:error', ({ stage, error }) => void errors.push(`${stage}:${(error as Error).name}`));
    await r.start();
    await waitFor(() => transport.publishedIds.length === 1, { timeoutMs: 5_000 });
    await r.stop();
    expect(errors).toContain('mark:StoreTimeoutError');
    expect(r.running).toBe(false);
  });

  it('a publish that outlives its share of the lease is aborted and marked retry while the lease is still ours', async () => {
    const store = new InMemoryOutboxStore();
    const [row] = store.add([{ subject: 's', body: 1 }]);
    const transport = new TestTransport().hold();
    const r = relay({ store, transport, leaseMs: 400, storeTimeoutMs: 50, pollIntervalMs: 1_000 });
    const errors: string[] = [];
    r.on('relay:error', ({ stage, error }) => void errors.push(`${stage}:${(error as Error).name}`));
    await r.start();
    await waitFor(() => errors.length > 0, { timeoutMs: 5_000 });
    expect(errors[0]).toBe('publish:PublishDeadlineError');
    expect(transport.calls[0]!.options.signal?.aborted).toBe(true);
    await waitFor(() => store.get(row!.id)!.lockedBy === null, { timeoutMs: 5_000 });
    expect(store.get(row!.id)).toMatchObject({ attempts: 1, sentAt: null, deadAt: null, lastError: expect.stringContaining('PublishDeadlineError') });
    transport.release();
    await r.stop();
  });
});
