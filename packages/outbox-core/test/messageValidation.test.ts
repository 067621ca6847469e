import { describe, expect, it } from 'vitest';
import type { OutboxMessageInput } from '../src/OutboxMessage.js';
import { prepareMessage } from '../src/prepareMessage.js';
import { MAX_DELAY_MS } from '../src/validation/checkDelay.js';

const ok = { subject: 'payment.created', body: { a: 1 } };
const refuse = (input: Partial<OutboxMessageInput>, name: string, field: string, text?: RegExp) => {
  let error: any;
  try {
    prepareMessage({ ...ok, ...input } as OutboxMessageInput);
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a refusal').toBeDefined();
  expect([error.name, error.field]).toEqual([name, field]);
  expect(error).toBeInstanceOf(Error);
  if (text) expect(error.message).toMatch(text);
};

describe('sendEvent input rules (prepareMessage)', () => {
  describe('FIFO ids: groupKey and dedupId', () => {
    it.each([
      ['a space', 'order 1', /a space/],
      ['a non-ASCII letter', 'café', /U\+00E9/],
      ['a control character', 'a\u0007b', /U\+0007/],
      ['U+FFFF', 'a\uFFFF', /U\+FFFF/],
      ['an emoji', 'a😀', /U\+1F600/],
      ['129 characters', 'g'.repeat(129), /129 characters/],
      ['nothing', '', /is empty/],
    ])('refuses %s with InvalidFifoIdError', (_label, value, text) => {
      refuse({ groupKey: value }, 'InvalidFifoIdError', 'groupKey', text);
      refuse({ dedupId: value }, 'InvalidFifoIdError', 'dedupId', text);
    });

    it('refuses a number with InvalidFifoIdError', () => {
      refuse({ groupKey: 7 as unknown as string }, 'InvalidFifoIdError', 'groupKey', /number/);
    });

    it('accepts every character AWS allows, up to 128 of them', () => {
      const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
      const all = 'Az09' + punctuation;
      expect(prepareMessage({ ...ok, groupKey: all, dedupId: all })).toMatchObject({ groupKey: all, dedupId: all });
      expect(prepareMessage({ ...ok, groupKey: 'g'.repeat(128) }).groupKey).toHaveLength(128);
    });
  });

  describe('subject: the subject attribute and the FIFO group id when there is no groupKey', () => {
    it.each([
      ['empty', '', /is empty/],
      ['with a space', 'payment created', /a space/],
      ['over 128 characters', 's'.repeat(129), /129 characters/],
      ['with a newline', 'payment\ncreated', /U\+000A/],
      ['with U+FFFF', 'payment.\uFFFF', /U\+FFFF/],
      ['with a lone surrogate', 'payment.\uD800', /U\+D800/],
      ['not a string', 42, /got number/],
    ])('refuses a subject %s with InvalidSubjectError', (_label, subject, text) => {
      refuse({ subject: subject as string }, 'InvalidSubjectError', 'subject', text);
    });

    it('accepts a 128-character routing key', () => {
      expect(prepareMessage({ ...ok, subject: 'a.'.repeat(64) }).subject).toHaveLength(128);
    });
  });

  describe('headers: each one a message attribute', () => {
    it.each([
      ['an empty name', { '': 'v' }, /is empty/],
      ['a name over 256 characters', { ['h'.repeat(257)]: 'v' }, /257 characters/],
      ['a name with a space', { 'my header': 'v' }, /letters, digits/],
      ['a name with a colon', { 'x:y': 'v' }, /letters, digits/],
      ['a name starting with a period', { '.h': 'v' }, /start or end/],
      ['a name ending with a period', { 'h.': 'v' }, /start or end/],
      ['a name with two periods in a row', { 'a..b': 'v' }, /two periods/],
      ['a name starting with AWS.', { 'AWS.trace': 'v' }, /AWS\./],
      ['a name starting with amazon. in any case', { 'aMaZoN.x': 'v' }, /Amazon\./],
      ['the outbox id attribute name', { 'outbox-message-id': 'v' }, /reserved/],
      ['the subject attribute name', { subject: 'v' }, /reserved/],
      ['__proto__, which an object assignment drops', JSON.parse('{"__proto__":"v"}'), /prototype/],
      ['an empty value', { h: '' }, /empty/],
      ['a value with a control character', { h: 'a\u0001b' }, /U\+0001/],
      ['a value with U+FFFE', { h: '\uFFFE' }, /U\+FFFE/],
      ['a value with a lone surrogate', { h: 'x\uDC00' }, /U\+DC00/],
      ['a non-string value', { h: 1 }, /must be a string/],
      ['an array instead of an object', ['v'], /object/],
      ['the traceparent attribute name', { traceparent: 'v' }, /reserved/],
      ['ExtendedPayloadSize, which marks a claim-checked message', { ExtendedPayloadSize: '12' }, /reserved: it marks a claim-checked message/],
      ['SQSLargePayloadSize, its older name', { SQSLargePayloadSize: '12' }, /reserved: it marks a claim-checked message/],
    ])('refuses %s with InvalidHeaderError', (_label, headers, text) => {
      refuse({ headers: headers as Record<string, string> }, 'InvalidHeaderError', 'headers', text);
    });

    it('refuses seven headers with TooManyHeadersError', () => {
      refuse({ headers: Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`h${i}`, 'v'])) }, 'TooManyHeadersError', 'headers', /At most 6/);
    });

    it('accepts tabs, newlines and any Unicode letter or emoji in a value, and a 256-character name', () => {
      const headers = { ['h'.repeat(256)]: 'tab\there\nnew\r line é 😀', 'a.b-c_d': 'x' };
      expect(prepareMessage({ ...ok, headers }).headers).toEqual(headers);
    });
  });

  describe('delayMs', () => {
    it.each([
      ['1e12 (31 years)', 1e12],
      ['one millisecond over 7 days', MAX_DELAY_MS + 1],
      ['negative', -1],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['a string', '1000'],
    ])('refuses %s with InvalidDelayError', (_label, delayMs) => {
      refuse({ delayMs: delayMs as number }, 'InvalidDelayError', 'delayMs', /0 to 604800000/);
    });

    it('accepts 0 to 7 days, rounded to whole milliseconds', () => {
      expect(prepareMessage({ ...ok, delayMs: MAX_DELAY_MS }).delayMs).toBe(MAX_DELAY_MS);
      expect(prepareMessage({ ...ok, delayMs: 1.6 }).delayMs).toBe(2);
      expect(prepareMessage({ ...ok }).delayMs).toBe(0);
    });
  });

  describe('body characters', () => {
    it.each([
      ['U+FFFF in a value', { note: 'a\uFFFF' }, 0xffff],
      ['U+FFFE in a key', { ['k\uFFFE']: 1 }, 0xfffe],
    ])('refuses %s with UnpublishableCharacterError', (_label, body, codePoint) => {
      refuse({ body }, 'UnpublishableCharacterError', 'body', /SNS and SQS refuse/);
      expect(() => prepareMessage({ ...ok, body })).toThrowError(expect.objectContaining({ codePoint }));
    });

    it('accepts control characters in the body: JSON escapes them, so what is published is plain ASCII', () => {
      const m = prepareMessage({ ...ok, body: { s: 'a\u0001\u001fb' } });
      expect(m.payload).toBe('{"s":"a\\u0001\\u001fb"}');
    });
  });
});
