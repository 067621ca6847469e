import type { RetryPolicy } from './RetryPolicy.js';

/**
 * How long to wait, in ms, before trying again a message whose try number `attempts` (1-based) just
 * failed. `random` is injectable so tests can pin the jitter.
 */
export function computeBackoff(
  attempts: number,
  policy: Pick<RetryPolicy, 'initialIntervalMs' | 'backoffCoefficient' | 'maxIntervalMs' | 'jitter'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempts - 1);
  const base = Math.min(policy.maxIntervalMs, policy.initialIntervalMs * policy.backoffCoefficient ** exponent);
  const spread = policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base * (1 + spread)));
}
