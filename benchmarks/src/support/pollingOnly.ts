import type { OutboxStore } from '@tx-outbox/outbox-core';

/** The same store without `subscribe`, so the relay cannot LISTEN and only polls. */
export function pollingOnly(store: OutboxStore): OutboxStore {
  return {
    claim: (o) => store.claim(o),
    markSent: (r, ids) => store.markSent(r, ids),
    markRetry: (r, marks) => store.markRetry(r, marks),
    markDead: (r, marks) => store.markDead(r, marks),
    release: (r, ids, o) => store.release(r, ids, o),
    stats: () => store.stats(),
  };
}
