import { describe, expect, it } from 'vitest';
import { jsonbTextLength } from '../src/jsonbTextLength.js';
import { messageSize } from '../src/messageSize.js';
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

  it('measures the body as PostgreSQL prints it back from jsonb, refusing one that only fits compact', () => {
    // n zeros: compact "[0,0,...]" is 2n+1 bytes; jsonb text "[0, 0, ...]" adds n-1 spaces.
    const limit = 10_000;
    const overhead = messageSize({ subject: 's', payload: '' });
    const n = Math.floor((limit - overhead - 1) / 2);
    const body = new Array(n).fill(0);
    const compact = JSON.stringify(body);
    expect(messageSize({ subject: 's', payload: compact })).toBeLessThanOrEqual(limit);
    expect(() => prepareMessage({ subject: 's', body }, { maxMessageBytes: limit })).toThrowError(
      expect.objectContaining({ name: 'MessageTooLargeError', sizeBytes: overhead + compact.length + n - 1 }),
    );
  });
});

describe('jsonbTextLength', () => {
  it.each([
    ['{}', '{}'],
    ['[]', '[]'],
    ['{"a":1,"b":[1,2,{"c":null}]}', '{"a": 1, "b": [1, 2, {"c": null}]}'],
    ['{"k:,":"v,:\\\",:"}', '{"k:,": "v,:\\\",:"}'],
    ['["é€😀",":"]', '["é€😀", ":"]'],
  ])('%s prints as %s', (compact, printed) => {
    expect(jsonbTextLength(compact)).toBe(Buffer.byteLength(printed, 'utf8'));
  });
});
