import { InvalidDelayError } from '../errors.js';

/**
 * Longest `delayMs`: 7 days. The outbox hands messages to the broker; it is not a scheduler. A
 * delayed row stays pending (in the pending index, in `status` backlog figures) for the whole delay,
 * and far larger values are almost always a mistake: seconds read as milliseconds, or a timestamp
 * such as `Date.now()` passed as a delay (`1e12` ms is 31 years). Schedule longer waits elsewhere.
 */
export const MAX_DELAY_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * @returns the delay in whole milliseconds (0 when absent).
 * @throws InvalidDelayError for a non-number, NaN, ±Infinity, a negative value or one over {@link MAX_DELAY_MS}.
 */
export function checkDelay(delayMs: unknown, subject: string): number {
  if (delayMs === undefined || delayMs === null) return 0;
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
    throw new InvalidDelayError(
      `delayMs must be a finite number of milliseconds from 0 to ${MAX_DELAY_MS} (7 days), got ${String(delayMs)}. ` +
        'The outbox is not a scheduler: hold longer delays in a scheduler or the consumer.',
      { subject },
    );
  }
  return Math.round(delayMs);
}
