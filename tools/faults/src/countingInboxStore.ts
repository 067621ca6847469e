import type { InboxBeginResult, InboxStore } from '@tx-outbox/outbox-core';

/**
 * Wraps a InboxStore to report what each delivery found (`runOnce`, or `begin`, runs once per
 * delivery): `acquired` the handler ran (in a transaction that may still roll back), `done` a duplicate
 * suppressed, `in_progress` a redelivery while another instance holds the message. Everything else goes
 * to the wrapped store, `runOnce`, `runAndComplete` and `extendLease` included, so exactly-once is kept.
 */
export function countingInboxStore(inner: InboxStore, onBegin: (messageId: string, result: InboxBeginResult) => void): InboxStore {
  const store: InboxStore = {
    begin: async (options) => {
      const result = await inner.begin(options);
      onBegin(options.messageId, result);
      return result;
    },
    complete: (lease, ttlMs) => inner.complete(lease, ttlMs),
    release: (lease) => inner.release(lease),
    purgeExpired: (batchSize) => inner.purgeExpired(batchSize),
  };
  if (inner.runOnce) {
    store.runOnce = async (options, handler) => {
      const ran = await inner.runOnce!(options, async (transaction) => {
        onBegin(options.messageId, { outcome: 'acquired', token: '' });
        return handler(transaction);
      });
      if (ran && ran.outcome !== 'processed') onBegin(options.messageId, ran);
      return ran;
    };
  }
  if (inner.runAndComplete) store.runAndComplete = (lease, ttlMs, handler) => inner.runAndComplete!(lease, ttlMs, handler);
  if (inner.extendLease) store.extendLease = (lease, leaseMs) => inner.extendLease!(lease, leaseMs);
  return store;
}
