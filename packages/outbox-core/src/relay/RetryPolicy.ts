import type { OptionRange } from '../options/optionChecks.js';

/**
 * How the relay retries a message whose publish failed with a retryable error. The n-th retry waits
 * `min(maxIntervalMs, initialIntervalMs × backoffCoefficient^(n-1))`, spread by ±`jitter`.
 *
 * With the defaults a message is tried 20 times; the waits between tries are 1, 2, 4, 8, 16, 32 s and
 * then 13 × 60 s: about 14 minutes (±20 %) in all, so a broker outage of several minutes is ridden out
 * without dead-lettering anything.
 */
export interface RetryPolicy {
  /**
   * Tries in all, the first one included. When the try numbered `maxAttempts` fails, the message is
   * dead-lettered. Every claim counts as a try (see the README on ordered mode).
   * @defaultValue 20
   */
  maxAttempts: number;
  /** Wait after the first failure, in ms. @defaultValue 1000 */
  initialIntervalMs: number;
  /** Each further wait is the previous one times this (at least 1). @defaultValue 2 */
  backoffCoefficient: number;
  /** Upper bound of a wait before jitter, in ms. @defaultValue 60000 */
  maxIntervalMs: number;
  /**
   * Random spread of each wait as a fraction (0..1): 0.2 means anywhere from 80 % to 120 % of it,
   * so relays that failed together do not retry together.
   * @defaultValue 0.2
   */
  jitter: number;
  /**
   * Declares a transport's retryable error permanent: return `true` for an error text that will never
   * succeed (e.g. `/AuthorizationError/`) and the message is dead-lettered at once.
   * @defaultValue undefined (every `retry` result is retried)
   */
  nonRetryable?: (error: string) => boolean;
}

/** The default retry policy; see {@link RetryPolicy} for what each value means. */
export const DEFAULT_RETRY_POLICY = {
  maxAttempts: 20,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maxIntervalMs: 60_000,
  jitter: 0.2,
} as const satisfies Required<Omit<RetryPolicy, 'nonRetryable'>>;

/** The values each field of {@link RetryPolicy} accepts (inclusive); the `outbox-relay` CLI uses the same. */
export const RETRY_POLICY_RANGES = {
  maxAttempts: { min: 1, max: 1_000 },
  initialIntervalMs: { min: 0, max: 86_400_000 },
  backoffCoefficient: { min: 1, max: 10 },
  /** Also at least `initialIntervalMs`. */
  maxIntervalMs: { min: 0, max: 86_400_000 },
  jitter: { min: 0, max: 1 },
} as const satisfies Record<keyof typeof DEFAULT_RETRY_POLICY, OptionRange>;
