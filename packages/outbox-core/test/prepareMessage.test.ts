import { describe, expect, it } from 'vitest';
import { prepareMessage } from '../src/prepareMessage.js';

describe('prepareMessage', () => {
  it('refuses a BigInt body with NonSerializableBodyError naming the path', () => {
    expect(() => prepareMessage({ subject: 's', body: { a: { b: 1n } } })).toThrowError(
      expect.objectContaining({ name: 'NonSerializableBodyError', path: '$.a.b' }),
    );
  });
  it('returns a uuid v7 id and the JSON payload', () => {
    const m = prepareMessage({ subject: 'payment.created', body: { amount: 5 } });
    expect(m.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.payload).toBe('{"amount":5}');
  });
});
