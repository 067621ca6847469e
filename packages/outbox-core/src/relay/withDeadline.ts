import { StoreTimeoutError } from '../errors.js';

/**
 * Resolves as `work` does, or rejects after `timeoutMs` with `timeoutError()` (by default a
 * {@link StoreTimeoutError}), whichever comes first. Every wait of the relay on its store, and on a
 * claimed batch's publish, goes through it: an answer that never comes must not hold a claim loop, a
 * batch or `stop()` forever. The abandoned call is left to finish on its own (`timeoutError` may tell
 * it to stop, say by aborting its signal).
 */
export function withDeadline<T>(
  operation: string,
  timeoutMs: number,
  work: Promise<T>,
  timeoutError: () => Error = () => new StoreTimeoutError(operation, timeoutMs),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), timeoutMs);
    timer.unref();
  });
  work.catch(() => {}); // a late rejection of the abandoned call is not unhandled
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
