import { describe, expect, it } from 'vitest';
import { loadTransactionalInternals } from '../src/transaction/loadTransactionalInternals.js';

describe('loadTransactionalInternals', () => {
  it('loads the functions it needs from the installed typeorm-transactional 0.5', () => {
    const internals = loadTransactionalInternals();
    expect([typeof internals.getTransactionalContext, typeof internals.getEntityManagerByDataSourceName]).toEqual(['function', 'function']);
  });

  it.each([
    ['cannot be loaded', () => { throw Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' }); }],
    ['lacks a function it needs', () => ({ getTransactionalContext: () => ({}) })],
  ])('throws UnsupportedTypeormTransactionalError naming ~0.5.0 when the internal module %s', (_label, load) => {
    expect(() => loadTransactionalInternals(load)).toThrowError(
      expect.objectContaining({ name: 'UnsupportedTypeormTransactionalError', message: expect.stringContaining('~0.5.0') }),
    );
  });
});
