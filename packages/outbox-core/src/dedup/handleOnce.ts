import type { DedupLease, DedupStore } from '../DedupStore.js';
import { DedupLeaseLostError, MessageInProgressError, PayloadMismatchError } from '../errors.js';
import { resolveHandleOnceOptions, type HandleOnceOptions } from './HandleOnceOptions.js';
import type { HandleOnceResult } from './HandleOnceResult.js';
import { payloadFingerprint } from './payloadFingerprint.js';

/**
 * Runs `handler` at most once to completion per `(consumer, messageId)`: the idempotent receipt of
 * an at-least-once delivery. A duplicate of a processed message is skipped and reported as such.
 *
 * - Another instance is still handling it: throws `MessageInProgressError` (leave the message for
 *   redelivery; it is skipped once that instance completes it).
 * - The handler throws: the record is released (so the redelivery runs the handler again) and the
 *   error is rethrown.
 * - The holder crashed: once its lease (`leaseMs`) has expired, the next delivery takes it over.
 * - Same id, different `payload`: throws `PayloadMismatchError`.
 * - The lease expired while the handler ran and another instance took over: throws `DedupLeaseLostError`.
 *
 * With a store that implements `runAndComplete` (e.g. `TransactionalDedupStore`) the handler and the
 * `done` record commit in one transaction; otherwise the effect of a handler that crashes after
 * acting but before completing can repeat once.
 *
 * @throws MessageInProgressError, PayloadMismatchError, DedupLeaseLostError, InvalidOptionError, or the handler's error.
 * @example
 * ```ts
 * const outcome = await handleOnce(store, { consumer: 'billing', messageId, payload: body }, () => charge(order));
 * if (outcome.status === 'duplicate') log.info(`already charged at ${outcome.processedAt.toISOString()}`);
 * ```
 */
export async function handleOnce<T>(
  store: DedupStore,
  options: HandleOnceOptions,
  handler: () => T | Promise<T>,
): Promise<HandleOnceResult<T>> {
  const { consumer, messageId, payload, checkPayload, leaseMs, ttlMs } = resolveHandleOnceOptions(options);
  const fingerprint = checkPayload && payload !== undefined ? payloadFingerprint(payload) : undefined;
  const begun = await store.begin({ consumer, messageId, leaseMs, ttlMs, fingerprint });
  switch (begun.outcome) {
    case 'done':
      return { status: 'duplicate', processedAt: begun.processedAt };
    case 'in_progress':
      throw new MessageInProgressError(consumer, messageId, begun.lockedUntil);
    case 'mismatch':
      throw new PayloadMismatchError(consumer, messageId);
  }
  const lease: DedupLease = { consumer, messageId, token: begun.token };
  try {
    const result = store.runAndComplete
      ? await store.runAndComplete(lease, ttlMs, async () => handler())
      : await runThenComplete(store, lease, ttlMs, handler);
    return { status: 'processed', result };
  } catch (error) {
    // Fenced by the token: a no-op when another instance owns the record by now. If the release
    // itself fails, the lease expiry frees the record instead; the handler's error is what matters.
    await store.release(lease).catch(() => undefined);
    throw error;
  }
}

async function runThenComplete<T>(store: DedupStore, lease: DedupLease, ttlMs: number, handler: () => T | Promise<T>): Promise<T> {
  const result = await handler();
  if (!(await store.complete(lease, ttlMs))) throw new DedupLeaseLostError(lease.consumer, lease.messageId);
  return result;
}
