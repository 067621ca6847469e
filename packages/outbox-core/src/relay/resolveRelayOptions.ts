import { withoutUndefined } from '../withoutUndefined.js';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { InvalidOptionError } from '../errors.js';
import { consoleRelayLogger } from './RelayLogger.js';
import { checkBoolean, checkDuration, checkInteger, checkNumber } from '../options/optionChecks.js';
import { DEFAULT_RELAY_OPTIONS, RELAY_OPTION_RANGES as R, type RelayOptions, type ResolvedRelayOptions } from './RelayOptions.js';
import { DEFAULT_RETRY_POLICY, RETRY_POLICY_RANGES as P, type RetryPolicy } from './RetryPolicy.js';

/**
 * Applies the defaults and checks every option, so a bad configuration fails at construction and
 * not hours later inside the loop.
 *
 * @throws InvalidOptionError naming the option and the expected value.
 */
export function resolveRelayOptions(options: RelayOptions): ResolvedRelayOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError('options', 'an object { store, transport, ... }', options);
  }
  const { store, transport } = options;
  for (const method of ['claim', 'markSent', 'markRetry', 'markDead', 'release', 'stats'] as const) {
    if (typeof (store as unknown as Record<string, unknown> | undefined)?.[method] !== 'function') {
      throw new InvalidOptionError('store', `an OutboxStore with a ${method}() method`, store);
    }
  }
  if (typeof (transport as unknown as Record<string, unknown> | undefined)?.publish !== 'function') {
    throw new InvalidOptionError('transport', 'a Transport with a publish() method', transport);
  }
  const relayId = options.relayId ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  if (typeof relayId !== 'string' || relayId.trim() === '') {
    throw new InvalidOptionError('relayId', 'a non-empty string', relayId);
  }
  const o = { ...DEFAULT_RELAY_OPTIONS, ...withoutUndefined(options) };
  checkInteger('batchSize', o.batchSize, R.batchSize);
  checkInteger('maxInFlight', o.maxInFlight, R.maxInFlight);
  checkDuration('pollIntervalMs', o.pollIntervalMs, R.pollIntervalMs);
  checkDuration('leaseMs', o.leaseMs, R.leaseMs);
  checkDuration('statsIntervalMs', o.statsIntervalMs, R.statsIntervalMs);
  checkDuration('storeTimeoutMs', o.storeTimeoutMs, R.storeTimeoutMs);
  checkBoolean('ordered', o.ordered);
  const logger = options.logger ?? consoleRelayLogger;
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof logger?.[level] !== 'function') {
      throw new InvalidOptionError('logger', `an object with debug, info, warn and error methods (missing ${level})`, logger);
    }
  }
  return {
    store,
    transport,
    relayId,
    batchSize: o.batchSize,
    maxInFlight: o.maxInFlight,
    pollIntervalMs: o.pollIntervalMs,
    leaseMs: o.leaseMs,
    ordered: o.ordered,
    statsIntervalMs: o.statsIntervalMs,
    storeTimeoutMs: o.storeTimeoutMs,
    retry: resolveRetryPolicy(options.retry),
    logger,
  };
}

function resolveRetryPolicy(retry: Partial<RetryPolicy> | undefined): RetryPolicy {
  if (retry !== undefined && (retry === null || typeof retry !== 'object')) {
    throw new InvalidOptionError('retry', 'an object like { maxAttempts, initialIntervalMs, ... }', retry);
  }
  const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...withoutUndefined(retry ?? {}) };
  checkInteger('retry.maxAttempts', p.maxAttempts, P.maxAttempts);
  checkDuration('retry.initialIntervalMs', p.initialIntervalMs, P.initialIntervalMs);
  checkNumber('retry.backoffCoefficient', p.backoffCoefficient, P.backoffCoefficient);
  checkDuration('retry.maxIntervalMs', p.maxIntervalMs, { min: Math.max(P.maxIntervalMs.min, p.initialIntervalMs), max: P.maxIntervalMs.max });
  checkNumber('retry.jitter', p.jitter, P.jitter);
  if (p.nonRetryable !== undefined && typeof p.nonRetryable !== 'function') {
    throw new InvalidOptionError('retry.nonRetryable', 'a function (error: string) => boolean', p.nonRetryable);
  }
  return p;
}
