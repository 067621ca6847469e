import type { RetryPolicy } from './RetryPolicy.js';

/**
 * Whether a message whose try number `attempts` failed with `error` gets another try: not when the
 * policy's `nonRetryable` classifier claims the error, nor when the tries are used up.
 * A classifier that throws is ignored (the error stays retryable): a bug in it must not lose messages.
 */
export function isRetryable(error: string, attempts: number, policy: Pick<RetryPolicy, 'maxAttempts' | 'nonRetryable'>): boolean {
  if (attempts >= policy.maxAttempts) return false;
  if (!policy.nonRetryable) return true;
  try {
    return !policy.nonRetryable(error);
  } catch {
    return true;
  }
}
