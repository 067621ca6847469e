import { StoreTimeoutError } from '../errors.js';

/**
 * Resolves as `work` does, or rejects with a {@link StoreTimeoutError} after `timeoutMs`, whichever
 * comes first. Every wait of the relay on its store goes through it: an answer that never comes must
 * not hold a claim loop, a batch or `stop()` forever. The abandoned call is left to finish on its own.
 */
export function withDeadline<T>(operation: string, timeoutMs: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(operation, timeoutMs)), timeoutMs);
    timer.unref();
  });
  work.catch(() => {}); // a late rejection of the abandoned call is not unhandled
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
