import { describe, expect, it } from 'vitest';
import { serializeBody } from '../src/serializeBody.js';

const refused = (body: unknown, path: string) =>
  expect(() => serializeBody(body)).toThrowError(expect.objectContaining({ name: 'NonSerializableBodyError', path }));

describe('serializeBody', () => {
  it('refuses Map, Set, WeakMap, typed arrays, ArrayBuffer and DataView, naming the path', () => {
    refused({ a: new Map([[1, 2]]) }, '$.a');
    refused({ a: [1, new Set([1])] }, '$.a[1]');
    refused({ w: new WeakMap() }, '$.w');
    refused({ bytes: new Uint8Array([1, 2]) }, '$.bytes');
    refused({ buf: new ArrayBuffer(4) }, '$.buf');
    refused({ view: new DataView(new ArrayBuffer(4)) }, '$.view');
    refused(new Map(), '$');
  });

  it('refuses an array hole (JSON would write null)', () => {
    // eslint-disable-next-line no-sparse-arrays
    refused({ items: [1, , 3] }, '$.items[1]');
    refused({ items: new Array(2) }, '$.items[0]');
  });

  it('still refuses cycles, undefined elements and NaN with their paths, and omits undefined properties', () => {
    const cycle: Record<string, unknown> = { a: { b: {} } };
    (cycle.a as { b: Record<string, unknown> }).b.c = cycle;
    refused(cycle, '$.a.b.c');
    refused({ xs: [1, undefined] }, '$.xs[1]');
    refused({ n: Number.NaN }, '$.n');
    refused(undefined, '$');
    expect(serializeBody({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('accepts plain data, Date, Buffer, a shared (non-cyclic) object and class instances, as JSON.stringify writes them', () => {
    class Money {
      constructor(readonly amount: number, readonly currency: string) {}
    }
    const shared = { k: 1 };
    const body = { at: new Date(0), m: new Money(5, 'EUR'), list: [1, 'x', null, { y: [true] }], s: shared, t: shared, b: Buffer.from('hi') };
    expect(serializeBody(body)).toBe(JSON.stringify(body));
  });

  it('calls toJSON once per value', () => {
    let calls = 0;
    const body = { v: { toJSON: () => (calls++, 'v') } };
    expect(serializeBody(body)).toBe('{"v":"v"}');
    expect(calls).toBe(1);
  });

  it('refuses strings and keys that PostgreSQL jsonb cannot store: U+0000 and unpaired surrogates', () => {
    refused({ note: 'a\u0000b' }, '$.note');
    refused({ list: ['ok', '\uD83D'] }, '$.list[1]');
    refused({ ['bad\u0000key']: 1 }, '$.bad\u0000key');
    expect(serializeBody({ emoji: '\uD83D\uDE00' })).toBe(JSON.stringify({ emoji: '\uD83D\uDE00' }));
  });
});
