import { describe, expect, it } from 'vitest';
import { Relay } from '../src/relay/Relay.js';
import { checkBoolean, checkDuration, checkInteger, checkNumber, expectedText } from '../src/options/optionChecks.js';
import { InMemoryOutboxStore } from '../src/testing/InMemoryOutboxStore.js';
import { TestTransport } from '../src/testing/TestTransport.js';

describe('options kit', () => {
  it('words every numeric expectation one way', () => {
    expect(expectedText('integer', { min: 1, max: 10_000 })).toBe('an integer from 1 to 10000');
    expect(expectedText('duration', { min: 0 })).toBe('a whole number of ms >= 0');
    expect(expectedText('number', { max: 1 })).toBe('a number <= 1');
    expect(expectedText('number')).toBe('a number');
  });

  it('returns a good value and throws InvalidOptionError naming the option for a bad one', () => {
    expect(checkInteger('batchSize', 10, { min: 1 })).toBe(10);
    expect(checkNumber('jitter', 0.5, { min: 0, max: 1 })).toBe(0.5);
    expect(checkBoolean('ordered', false)).toBe(false);
    expect(() => checkInteger('batchSize', 1.5, { min: 1 })).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'batchSize' }));
    expect(() => checkDuration('leaseMs', -1)).toThrow(/Invalid option leaseMs: expected a whole number of ms >= 0, got -1/);
    expect(() => checkNumber('jitter', Number.NaN, { min: 0, max: 1 })).toThrow(/expected a number from 0 to 1/);
    expect(() => checkNumber('jitter', '0.5', { min: 0, max: 1 })).toThrow(expect.objectContaining({ option: 'jitter' }));
    expect(() => checkBoolean('ordered', 'yes')).toThrow(/expected true or false/);
  });

  it('is what the Relay checks its options with, ranges included', () => {
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    expect(() => new Relay({ store, transport, batchSize: 10_001 })).toThrow(/Invalid option batchSize: expected an integer from 1 to 10000/);
    expect(() => new Relay({ store, transport, retry: { jitter: 2 } })).toThrow(/Invalid option retry.jitter: expected a number from 0 to 1/);
  });
});
