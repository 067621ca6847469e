import { describe, expect, it } from 'vitest';
import { jsonbTextLength } from '../src/jsonbTextLength.js';
import { DEFAULT_MAX_MESSAGE_BYTES, messageSize } from '../src/messageSize.js';
import { validateMessage } from '../src/validateMessage.js';
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

describe('prepareMessage and the sizes AWS carries', () => {
  const body = (bytes: number) => ({ pad: 'x'.repeat(bytes) });

  it('takes up to 1 MiB by default, what an SQS queue or a raised SNS topic carries inline', () => {
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(1_048_576);
    expect(prepareMessage({ subject: 's', body: body(900 * 1024) }).payload.length).toBeGreaterThan(900 * 1024);
    expect(() => prepareMessage({ subject: 's', body: body(1_048_576) })).toThrowError(
      expect.objectContaining({ name: 'MessageTooLargeError', limitBytes: 1_048_576, message: expect.stringMatching(/claim-check/) }),
    );
  });

  it('over 1 MiB (raised maxMessageBytes: claim-check only), keeps one message attribute for the pointer\'s ExtendedPayloadSize', () => {
    const six = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`h${i}`, 'v']));
    const five = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`h${i}`, 'v']));
    const traced = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'k=v' };
    const limit = 10 * 1_048_576;
    // 6 headers + 2 outbox attributes + the trace context: 10, no room for an 11th.
    expect(() => validateMessage({ subject: 's', body: body(2 * 1_048_576), headers: six }, limit, traced)).toThrowError(
      expect.objectContaining({ name: 'TooManyAttributesError', count: 11, limit: 10, message: expect.stringMatching(/ExtendedPayloadSize/) }),
    );
    // The same headers on a message AWS carries inline, or one header fewer on the large one: accepted.
    expect(validateMessage({ subject: 's', body: body(1024), headers: six }, limit, traced).headers).toEqual(six);
    expect(validateMessage({ subject: 's', body: body(2 * 1_048_576), headers: five }, limit, traced).headers).toEqual(five);
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
