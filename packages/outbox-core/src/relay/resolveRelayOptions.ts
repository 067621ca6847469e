import { withoutUndefined } from '../withoutUndefined.js';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { InvalidOptionError } from '../errors.js';
import { consoleRelayLogger } from './RelayLogger.js';
import { DEFAULT_RELAY_OPTIONS, type RelayOptions, type ResolvedRelayOptions } from './RelayOptions.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './RetryPolicy.js';

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
  integer('batchSize', o.batchSize, 1);
  integer('maxInFlight', o.maxInFlight, 1);
  integer('pollIntervalMs', o.pollIntervalMs, 1);
  integer('leaseMs', o.leaseMs, 1);
  integer('statsIntervalMs', o.statsIntervalMs, 0);
  if (typeof o.ordered !== 'boolean') throw new InvalidOptionError('ordered', 'true or false', o.ordered);
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
    retry: resolveRetryPolicy(options.retry),
    logger,
  };
}

function resolveRetryPolicy(retry: Partial<RetryPolicy> | undefined): RetryPolicy {
  if (retry !== undefined && (retry === null || typeof retry !== 'object')) {
    throw new InvalidOptionError('retry', 'an object like { maxAttempts, initialIntervalMs, ... }', retry);
  }
  const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...withoutUndefined(retry ?? {}) };
  integer('retry.maxAttempts', p.maxAttempts, 1);
  number('retry.initialIntervalMs', p.initialIntervalMs, 0, 'a finite number of ms >= 0');
  number('retry.backoffCoefficient', p.backoffCoefficient, 1, 'a finite number >= 1');
  number('retry.maxIntervalMs', p.maxIntervalMs, p.initialIntervalMs, `a finite number of ms >= retry.initialIntervalMs (${p.initialIntervalMs})`);
  if (typeof p.jitter !== 'number' || !(p.jitter >= 0 && p.jitter <= 1)) {
    throw new InvalidOptionError('retry.jitter', 'a fraction from 0 to 1 (e.g. 0.2)', p.jitter);
  }
  if (p.nonRetryable !== undefined && typeof p.nonRetryable !== 'function') {
    throw new InvalidOptionError('retry.nonRetryable', 'a function (error: string) => boolean', p.nonRetryable);
  }
  return p;
}

function integer(option: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidOptionError(option, `an integer >= ${min}`, value);
  }
}

function number(option: string, value: unknown, min: number, expected: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new InvalidOptionError(option, expected, value);
  }
}
