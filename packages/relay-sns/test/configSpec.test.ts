// The sidecar's settings take the library's defaults and ranges: a change in core reaches the CLI.
import { DEFAULT_RELAY_OPTIONS, DEFAULT_RETRY_POLICY, RELAY_OPTION_RANGES, RETRY_POLICY_RANGES } from '@tx-outbox/outbox-core/internal';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../src/cli/configSpec.js';
import { loadConfig } from '../src/cli/loadConfig.js';

const setting = (key: string) => SETTINGS.find((s) => s.key === key)!;

describe('outbox-relay settings', () => {
  it.each([
    ['batchSize', DEFAULT_RELAY_OPTIONS.batchSize, RELAY_OPTION_RANGES.batchSize],
    ['maxInFlight', DEFAULT_RELAY_OPTIONS.maxInFlight, RELAY_OPTION_RANGES.maxInFlight],
    ['pollIntervalMs', DEFAULT_RELAY_OPTIONS.pollIntervalMs, RELAY_OPTION_RANGES.pollIntervalMs],
    ['leaseMs', DEFAULT_RELAY_OPTIONS.leaseMs, RELAY_OPTION_RANGES.leaseMs],
    ['storeTimeoutMs', DEFAULT_RELAY_OPTIONS.storeTimeoutMs, RELAY_OPTION_RANGES.storeTimeoutMs],
    ['maxAttempts', DEFAULT_RETRY_POLICY.maxAttempts, RETRY_POLICY_RANGES.maxAttempts],
    ['retryInitialMs', DEFAULT_RETRY_POLICY.initialIntervalMs, RETRY_POLICY_RANGES.initialIntervalMs],
    ['retryCoefficient', DEFAULT_RETRY_POLICY.backoffCoefficient, RETRY_POLICY_RANGES.backoffCoefficient],
    ['retryMaxMs', DEFAULT_RETRY_POLICY.maxIntervalMs, RETRY_POLICY_RANGES.maxIntervalMs],
    ['retryJitter', DEFAULT_RETRY_POLICY.jitter, RETRY_POLICY_RANGES.jitter],
  ] as const)('%s has the library default and range', (key, defaultValue, range) => {
    expect(setting(key)).toMatchObject({ default: defaultValue, min: range.min, max: range.max });
  });

  it('words a bad value as the library does, naming the variable', () => {
    const env = { DATABASE_URL: 'postgres://u@127.0.0.1:1/db', OUTBOX_ROUTES: 'a=b', OUTBOX_RETRY_JITTER: '1.5' };
    expect(() => loadConfig('run', {}, env)).toThrow(
      expect.objectContaining({ name: 'ConfigError', variable: 'OUTBOX_RETRY_JITTER', message: expect.stringContaining('must be a number from 0 to 1') }),
    );
    expect(loadConfig('run', {}, { ...env, OUTBOX_RETRY_JITTER: '0.5', OUTBOX_LEASE_MS: '500' })).toMatchObject({ retryJitter: 0.5, leaseMs: 500 });
    expect(() => loadConfig('run', {}, { ...env, OUTBOX_RETRY_JITTER: '0.5', OUTBOX_STORE_TIMEOUT_MS: '0' })).toThrow(
      expect.objectContaining({ name: 'ConfigError', variable: 'OUTBOX_STORE_TIMEOUT_MS' }),
    );
    expect(loadConfig('run', {}, { ...env, OUTBOX_RETRY_JITTER: '0.5', OUTBOX_STORE_TIMEOUT_MS: '2500' })).toMatchObject({ storeTimeoutMs: 2500 });
  });
});
