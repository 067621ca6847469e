import type { InboxLease, InboxStore } from '../InboxStore.js';

/** Shortest pause between two renewals, so a tiny lease does not turn into a busy loop. */
const MIN_RENEW_INTERVAL_MS = 50;

/**
 * While a handler runs, renews its inbox lease every third of `leaseMs` (`store.extendLease`), so a
 * handler slower than one lease keeps the message and no other instance runs it at the same time. Two
 * renewals may fail in a row (a database hiccup) before the lease runs out. A failure is passed to
 * `onError` and the next tick tries again; `false` (another instance took the record over) stops the
 * renewals, and `complete` then reports the lost lease. Stores without `extendLease` are left alone.
 *
 * @returns a function that stops the renewals; call it once the handler has settled.
 */
export function renewLeaseWhileRunning(
  store: InboxStore,
  lease: InboxLease,
  leaseMs: number,
  onError: (error: unknown) => void,
): () => void {
  if (!store.extendLease) return () => undefined;
  let stopped = false;
  let renewing = false;
  const timer = setInterval(() => {
    // One renewal at a time: a slow one must not pile up behind a stuck connection.
    if (renewing || stopped) return;
    renewing = true;
    store.extendLease!(lease, leaseMs).then(
      (owned) => {
        renewing = false;
        if (!owned) stop();
      },
      (error: unknown) => {
        renewing = false;
        if (!stopped) onError(error);
      },
    );
  }, Math.max(Math.floor(leaseMs / 3), MIN_RENEW_INTERVAL_MS));
  // Never the reason a process stays alive.
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}
