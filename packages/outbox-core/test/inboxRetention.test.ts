import { describe, expect, it } from 'vitest';
import { InboxRetention } from '../src/index.js';
import { waitFor } from '../src/testing/index.js';

/** A store with `expired` records that deletes at most `batchSize` per call, recording each call. */
function fakeStore(expired: number, failFirst = false) {
  const calls: number[] = [];
  let left = expired;
  let fail = failFirst;
  return {
    calls,
    left: () => left,
    async purgeExpired(batchSize: number) {
      if (fail) {
        fail = false;
        throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
      }
      const n = Math.min(batchSize, left);
      left -= n;
      calls.push(n);
      return n;
    },
  };
}

describe('InboxRetention', () => {
  it('purges in batches until a batch comes back short', async () => {
    const store = fakeStore(25);
    expect(await new InboxRetention(store, { batchSize: 10 }).purgeNow()).toBe(25);
    expect(store.calls).toEqual([10, 10, 5]);
  });

  it('runs on its schedule, survives a failed run and a throwing listener, and stops', async () => {
    const store = fakeStore(7, true);
    const purged: number[] = [];
    const errors: unknown[] = [];
    const retention = new InboxRetention(store, {
      intervalMs: 5,
      batchSize: 3,
      onPurged: (n) => {
        purged.push(n);
        throw new Error('listener bug');
      },
      onError: (e) => errors.push(e),
    });
    retention.start();
    await waitFor(() => purged.length >= 2);
    await retention.stop();
    expect(errors).toMatchObject([{ code: 'ECONNREFUSED' }]);
    expect(purged.slice(0, 2)).toEqual([7, 0]);
    expect(store.left()).toBe(0);
    const runs = store.calls.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(store.calls.length).toBe(runs);
  });

  it('refuses bad options by name', () => {
    expect(() => new InboxRetention(fakeStore(0), { intervalMs: 0 })).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'intervalMs' }));
    expect(() => new InboxRetention({} as never)).toThrow(expect.objectContaining({ option: 'store' }));
  });
});
