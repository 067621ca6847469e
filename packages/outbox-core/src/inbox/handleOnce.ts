import { setTimeout as sleep } from 'node:timers/promises';
import { computeBackoff } from '../relay/computeBackoff.js';
import type { InboxLease, InboxStore } from '../InboxStore.js';
import { InboxLeaseLostError, MessageInProgressError, PayloadMismatchError } from '../errors.js';
import { resolveHandleOnceOptions, type HandleOnceOptions, type ResolvedHandleOnceOptions } from './HandleOnceOptions.js';
import type { HandleOnceResult } from './HandleOnceResult.js';
import { payloadFingerprint } from './payloadFingerprint.js';
import { renewLeaseWhileRunning } from './renewLeaseWhileRunning.js';
import { markActiveSpanDuplicate, runInProcessSpan } from '../tracing/runInProcessSpan.js';

/**
 * Runs `handler` at most once to completion per `(consumer, messageId)`: the idempotent receipt of
 * an at-least-once delivery. A duplicate of a processed message is skipped and reported as such.
 *
 * - Another instance is still handling it: throws `MessageInProgressError` (leave the message for
 *   redelivery; it is skipped once that instance completes it).
 * - The handler throws: the record is released (so the redelivery runs the handler again; tried 3
 *   times, briefly apart) and the error is rethrown. When even that fails (the store is down) the lease
 *   runs out by itself; until then a redelivery is told `MessageInProgressError` with `retryAfterMs`,
 *   the rest of the lease, so a consumer can keep the message away that long instead of burning receives.
 * - The handler succeeded but `complete` keeps failing (store down; tried 3 times, briefly apart): the
 *   store's error is rethrown and the record is NOT released, so a redelivery is refused while the
 *   lease lasts; only after the lease (`leaseMs`) expires may the handler run again. This is the one
 *   case, besides a crash, in which a handler that succeeded can run twice.
 * - The holder crashed: once its lease (`leaseMs`) has expired, the next delivery takes it over.
 * - Same id, different `payload`: throws `PayloadMismatchError`.
 * - The handler runs longer than `leaseMs`: the lease is renewed every third of it while the handler
 *   runs (with a store that has `extendLease`; `renewLease: false` turns that off), so no other instance
 *   takes the message over. Only a crashed or cut-off holder's lease runs out.
 * - The lease expired while the handler ran and another instance took over: throws `InboxLeaseLostError`.
 *
 * `handler` receives the store's transaction when it runs in one (`TransactionalInboxStore`: its
 * EntityManager), else nothing.
 *
 * With a store that implements `runOnce` or `runAndComplete` (e.g. `TransactionalInboxStore`) the
 * handler and the `done` record commit in one transaction; otherwise the effect of a handler that
 * crashes after acting but before completing can repeat once. With `runOnce` there is no lease at all:
 * a copy that arrives while the first still runs waits for its transaction (bounded by the store), and
 * is then a duplicate, runs (the first rolled back), or gets `MessageInProgressError` (`retryAfterMs`: `leaseMs`).
 *
 * @throws MessageInProgressError, PayloadMismatchError, InboxLeaseLostError, InvalidOptionError, the handler's
 *   error, or the store's error when `complete` kept failing.
 * @example
 * ```ts
 * const outcome = await handleOnce(store, { consumer: 'billing', messageId, payload: body }, () => charge(order));
 * if (outcome.status === 'duplicate') log.info(`already charged at ${outcome.processedAt.toISOString()}`);
 * ```
 */
export async function handleOnce<T>(
  store: InboxStore,
  options: HandleOnceOptions,
  handler: (transaction?: unknown) => T | Promise<T>,
): Promise<HandleOnceResult<T>> {
  const resolved = resolveHandleOnceOptions(options);
  const { traceContext, consumer, messageId } = resolved;
  if (traceContext === undefined) return handleOnceResolved(store, resolved, handler);
  return runInProcessSpan({ messageId, headers: traceContext, system: 'tx_outbox', destination: consumer, consumer }, async () => {
    const outcome = await handleOnceResolved(store, resolved, handler);
    if (outcome.status === 'duplicate') markActiveSpanDuplicate();
    return outcome;
  });
}

async function handleOnceResolved<T>(
  store: InboxStore,
  { consumer, messageId, payload, checkPayload, leaseMs, ttlMs, renewLease, onRenewError }: ResolvedHandleOnceOptions,
  handler: (transaction?: unknown) => T | Promise<T>,
): Promise<HandleOnceResult<T>> {
  const fingerprint = checkPayload && payload !== undefined ? payloadFingerprint(payload) : undefined;
  const ran = store.runOnce ? await store.runOnce({ consumer, messageId, leaseMs, ttlMs, fingerprint }, async (transaction) => handler(transaction)) : undefined;
  if (ran?.outcome === 'processed') return { status: 'processed', result: ran.result };
  const begun = ran ?? (await store.begin({ consumer, messageId, leaseMs, ttlMs, fingerprint }));
  switch (begun.outcome) {
    case 'done':
      return { status: 'duplicate', processedAt: begun.processedAt };
    case 'in_progress':
      throw new MessageInProgressError(consumer, messageId, begun.lockedUntil, { retryAfterMs: begun.retryAfterMs });
    case 'mismatch':
      throw new PayloadMismatchError(consumer, messageId);
  }
  const lease: InboxLease = { consumer, messageId, token: begun.token };
  const stopRenewing = renewLease ? renewLeaseWhileRunning(store, lease, leaseMs, onRenewError) : () => undefined;
  let result: T;
  try {
    // runAndComplete rolls the handler's writes back with the record when it throws, so releasing is right.
    result = store.runAndComplete ? await store.runAndComplete(lease, ttlMs, async (transaction) => handler(transaction)) : await handler();
  } catch (error) {
    stopRenewing();
    // Fenced by the token: a no-op when another instance owns the record by now. If the release
    // keeps failing, the lease expiry frees the record instead; the handler's error is what matters.
    await withRetries(() => store.release(lease)).catch(() => undefined);
    throw error;
  }
  stopRenewing();
  if (!store.runAndComplete && !(await withRetries(() => store.complete(lease, ttlMs)))) {
    throw new InboxLeaseLostError(lease.consumer, lease.messageId);
  }
  return { status: 'processed', result };
}

/** `complete` and `release` are tried this many times in all, 50 ms then 150 ms apart. */
const STORE_TRIES = 3;
const STORE_BACKOFF = { initialIntervalMs: 50, backoffCoefficient: 3, maxIntervalMs: 1_000, jitter: 0 };

/**
 * A transient store error must not decide the outcome: after the handler acted, a `complete` that failed
 * once must not release the record (the redelivery would run the handler again); after it failed, a
 * `release` that failed once would keep redeliveries away for a whole lease. Rethrows the last error
 * when every try failed; the record then stays `in_progress` until its lease expires.
 */
async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= STORE_TRIES) throw error;
      await sleep(computeBackoff(attempt, STORE_BACKOFF));
    }
  }
}
