// The SDK's retries of the transports' calls: as many as its default, but short, for throttling too,
// so a claimed batch does not hold a relay's in-flight place for seconds after a storm ended.
import type { StandardRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import { publishRetryStrategy } from '../src/aws/publishRetryStrategy.js';

/** The delays the strategy picks for each retry of one call failing with `errorType`, until it gives up. */
async function delays(strategy: StandardRetryStrategy, errorType: 'THROTTLING' | 'TRANSIENT'): Promise<number[]> {
  let token = await strategy.acquireInitialRetryToken('test');
  const picked: number[] = [];
  for (;;) {
    try {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType });
    } catch {
      return picked; // attempts used up
    }
    // This SDK version sleeps inside refreshRetryTokenForRetry and records the delay it slept.
    picked.push((token as { $retryLog?: { acquisitionDelay?: number } }).$retryLog?.acquisitionDelay ?? token.getRetryDelay());
  }
}

describe('publishRetryStrategy', () => {
  it('retries a throttled or transient call twice, 100 ms then 200 ms apart (the SDK default waits up to 1 s, then up to 2 s, after throttling)', async () => {
    expect(await delays(publishRetryStrategy(), 'THROTTLING')).toEqual([100, 200]);
    expect(await delays(publishRetryStrategy(), 'TRANSIENT')).toEqual([100, 200]);
  });
});
