import { describe, expect, it } from 'vitest';
import { classifyAwsError, classifyFailedEntry, describeAwsError } from '../src/index.js';

const named = (name: string, extra: object = {}) => Object.assign(new Error('some text that is never parsed'), { name }, extra);

describe('classifyAwsError', () => {
  it.each([
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestThrottled',
    'KMSThrottling',
    'InternalError',
    'InternalFailure',
    'ServiceUnavailable',
    'TimeoutError',
    'RequestTimeout',
  ])('%s is retry', (name) => {
    expect(classifyAwsError(named(name))).toBe('retry');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])('a socket error with code %s is retry, also when wrapped', (code) => {
    expect(classifyAwsError(Object.assign(new Error('connect failed'), { code }))).toBe('retry');
    expect(classifyAwsError(new Error('request failed', { cause: Object.assign(new Error('x'), { code }) }))).toBe('retry');
  });

  it('a 5xx response is retry whatever its name', () => {
    expect(classifyAwsError(named('SomethingNew', { $metadata: { httpStatusCode: 503 } }))).toBe('retry');
  });

  it.each([
    'NotFound',
    'NotFoundException',
    'QueueDoesNotExist',
    'InvalidParameter',
    'InvalidParameterValue',
    'AuthorizationError',
    'AccessDenied',
    'ValidationError',
    'KMSDisabled',
    'KMSDisabledException',
  ])('%s is permanent', (name) => {
    expect(classifyAwsError(named(name, { $metadata: { httpStatusCode: 400 } }))).toBe('permanent');
  });

  it('an unknown error is retry (the relay dead-letters it after maxAttempts)', () => {
    expect(classifyAwsError(named('NeverSeenBefore', { $metadata: { httpStatusCode: 400 } }))).toBe('retry');
    expect(classifyAwsError('a string')).toBe('retry');
  });

  it('does not read the message text', () => {
    expect(classifyAwsError(Object.assign(new Error('Throttling: rate exceeded'), { name: 'NotFoundException' }))).toBe('permanent');
  });
});

describe('classifyFailedEntry', () => {
  it('decides by code first, then by SenderFault', () => {
    expect(classifyFailedEntry({ Code: 'InternalError', SenderFault: false })).toBe('retry');
    expect(classifyFailedEntry({ Code: 'Throttling', SenderFault: true })).toBe('retry');
    expect(classifyFailedEntry({ Code: 'InvalidParameter', SenderFault: true })).toBe('permanent');
    expect(classifyFailedEntry({ Code: 'Whatever', SenderFault: true })).toBe('permanent');
    expect(classifyFailedEntry({ Code: 'Whatever', SenderFault: false })).toBe('retry');
  });
});

describe('describeAwsError', () => {
  it('gives name and message', () => {
    expect(describeAwsError(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }))).toBe('NotFoundException: Topic does not exist');
  });
});
