import { ConfiguredRetryStrategy } from '@smithy/core/retry';

/** Attempts of one publish call, as the SDK's default: the first and two retries. */
const ATTEMPTS = 3;
/** Wait before the SDK's retry number n of a publish call: 100 ms, then 200 ms. */
const RETRY_DELAY_MS = 100;

/**
 * The SDK's own retries of the transports' calls (PublishBatch, SendMessageBatch): as many as its
 * default, but 100 ms then 200 ms apart whatever the error. The SDK would wait up to 1 s and then 2 s
 * after a throttling error, while the claimed batch holds one of the relay's in-flight places: the relay
 * then sent nothing for up to 3 s after a throttling storm ended. Past the SDK's attempts the relay
 * retries with its own policy (backoff, tries counted, brought forward once the route works again).
 */
export function publishRetryStrategy(): ConfiguredRetryStrategy {
  return new ConfiguredRetryStrategy(ATTEMPTS, (attempt) => RETRY_DELAY_MS * attempt);
}
