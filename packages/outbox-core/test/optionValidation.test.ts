// Every option the relay, handleOnce and the in-memory inbox check is refused with an
// InvalidOptionError that names that option (and, where it helps, the missing piece), before
// anything is written.
import { describe, expect, it } from 'vitest';
import { handleOnce } from '../src/inbox/handleOnce.js';
import type { HandleOnceOptions } from '../src/inbox/HandleOnceOptions.js';
import { InMemoryInboxStore } from '../src/inbox/InMemoryInboxStore.js';
import { Relay } from '../src/relay/Relay.js';
import type { RelayOptions } from '../src/relay/RelayOptions.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';

const named = (option: string, text: RegExp) => expect.objectContaining({ name: 'InvalidOptionError', option, message: expect.stringMatching(text) });
const logger = { debug() {}, info() {}, warn() {}, error() {} };

describe('Relay options', () => {
  const store = new InMemoryOutboxStore();
  const transport = new TestTransport();
  const relayWith = (options: unknown) => () => new Relay(options as RelayOptions);

  it('refuses options that are not an object', () => {
    expect(relayWith(null)).toThrow(named('options', /expected an object \{ store, transport/));
    expect(relayWith(42)).toThrow(named('options', /got 42/));
  });

  it('names the store method that is missing, and the transport', () => {
    expect(relayWith({ transport })).toThrow(named('store', /an OutboxStore with a claim\(\) method/));
    const { stats: _stats, ...withoutStats } = Object.fromEntries(
      ['claim', 'markSent', 'markRetry', 'markDead', 'release', 'stats'].map((m) => [m, async () => 0]),
    );
    expect(relayWith({ store: withoutStats, transport })).toThrow(named('store', /with a stats\(\) method/));
    expect(relayWith({ store })).toThrow(named('transport', /a Transport with a publish\(\) method/));
    expect(relayWith({ store, transport: {} })).toThrow(named('transport', /publish\(\)/));
  });

  it('refuses a blank or non-string relayId', () => {
    expect(relayWith({ store, transport, relayId: '   ' })).toThrow(named('relayId', /expected a non-empty string/));
    expect(relayWith({ store, transport, relayId: 7 })).toThrow(named('relayId', /non-empty string/));
    expect(new Relay({ store, transport, relayId: ' a ', logger })).toBeInstanceOf(Relay);
  });

  it('names the logger level that is missing', () => {
    expect(relayWith({ store, transport, logger: {} })).toThrow(named('logger', /missing debug/));
    expect(relayWith({ store, transport, logger: { ...logger, warn: 'no' } })).toThrow(named('logger', /missing warn/));
  });

  it('refuses a retry policy that is not an object, and names the bad retry field', () => {
    expect(relayWith({ store, transport, logger, retry: null })).toThrow(named('retry', /an object like \{ maxAttempts/));
    expect(relayWith({ store, transport, logger, retry: 3 })).toThrow(named('retry', /got 3/));
    expect(relayWith({ store, transport, logger, retry: { initialIntervalMs: -1 } })).toThrow(named('retry.initialIntervalMs', /retry\.initialIntervalMs/));
    expect(relayWith({ store, transport, logger, retry: { nonRetryable: 'AccessDenied' } })).toThrow(
      named('retry.nonRetryable', /Invalid option retry\.nonRetryable: expected a function \(error: string\) => boolean/),
    );
    expect(new Relay({ store, transport, logger, retry: {} })).toBeInstanceOf(Relay);
  });
});

describe('handleOnce options', () => {
  const base: HandleOnceOptions = { consumer: 'mailer', messageId: 'm-1' };
  async function refused(options: Record<string, unknown>) {
    const store = new InMemoryInboxStore();
    let ran = false;
    const error = await handleOnce(store, { ...base, ...options } as HandleOnceOptions, () => (ran = true)).catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(store.size).toBe(0);
    return error;
  }

  it('refuses an empty or non-string consumer and messageId', async () => {
    expect(await refused({ consumer: '' })).toEqual(named('consumer', /Invalid option consumer: expected a non-empty string/));
    expect(await refused({ consumer: 5 })).toEqual(named('consumer', /non-empty string/));
    expect(await refused({ messageId: 5 })).toEqual(named('messageId', /non-empty string/));
  });

  it('names ttlMs, checkPayload and onRenewError', async () => {
    expect(await refused({ ttlMs: 0 })).toEqual(named('ttlMs', /Invalid option ttlMs: expected a whole number of ms >= 1/));
    expect(await refused({ checkPayload: 'yes' })).toEqual(named('checkPayload', /Invalid option checkPayload/));
    expect(await refused({ onRenewError: 'log' })).toEqual(named('onRenewError', /Invalid option onRenewError: expected a function/));
  });

  it('refuses a payload that is not the body as received', async () => {
    expect(await refused({ payload: 5 })).toEqual(named('payload', /expected a string or Uint8Array/));
    expect(await refused({ payload: { a: 1 } })).toEqual(named('payload', /Invalid option payload/));
  });

  it('refuses a traceContext that is not an object of headers', async () => {
    expect(await refused({ traceContext: null })).toEqual(named('traceContext', /expected an object of header strings/));
    expect(await refused({ traceContext: 'traceparent' })).toEqual(named('traceContext', /Invalid option traceContext/));
  });

  it('accepts a Uint8Array payload and headers', async () => {
    const store = new InMemoryInboxStore();
    const result = await handleOnce(store, { ...base, payload: new Uint8Array([1, 2]), traceContext: {} }, () => 'ok');
    expect(result).toMatchObject({ status: 'processed', result: 'ok' });
  });
});

describe('InMemoryInboxStore options', () => {
  it('refuses a clock that is not a function', () => {
    expect(() => new InMemoryInboxStore({ now: 5 as unknown as () => number })).toThrow(named('now', /Invalid option now: expected a function returning epoch milliseconds/));
  });
});
