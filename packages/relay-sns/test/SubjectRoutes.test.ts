import { describe, expect, it } from 'vitest';
import { createSubjectRouter } from '../src/index.js';

describe('createSubjectRouter', () => {
  it('maps exact subjects', () => {
    const route = createSubjectRouter({ 'a.created': 'arn:a' }, 'topicArn');
    expect(route('a.created')).toBe('arn:a');
    expect(route('a.created.v2')).toBeUndefined();
  });

  it('picks the longest matching prefix, whatever the order of the rules', () => {
    const route = createSubjectRouter(
      [
        { prefix: '', topicArn: 'arn:default' },
        { prefix: 'payment.', topicArn: 'arn:payments' },
        { prefix: 'payment.refund.', topicArn: 'arn:refunds' },
      ],
      'topicArn',
    );
    expect(route('payment.refund.issued')).toBe('arn:refunds');
    expect(route('payment.created')).toBe('arn:payments');
    expect(route('user.created')).toBe('arn:default');
  });

  it('calls a function and treats an empty answer as no route', () => {
    const route = createSubjectRouter((subject) => (subject.startsWith('x') ? 'url:x' : ''), 'queueUrl');
    expect(route('xyz')).toBe('url:x');
    expect(route('abc')).toBeUndefined();
  });

  it('refuses malformed routes with InvalidOptionError naming the entry', () => {
    expect(() => createSubjectRouter([{ prefix: 'a', queueUrl: 42 } as never], 'queueUrl')).toThrow(
      expect.objectContaining({ name: 'InvalidOptionError', option: 'routes[0]' }),
    );
    expect(() => createSubjectRouter({ a: '' }, 'topicArn')).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'routes["a"]' }));
    expect(() => createSubjectRouter(undefined as never, 'topicArn')).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'routes' }));
  });
});
