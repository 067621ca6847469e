import { describe, expect, it } from 'vitest';
import { classifyAwsError, classifyFailedEntry, describeAwsError } from '../src/index.js';
import { SERVICE_ERRORS } from '../src/errors/serviceErrorModel.js';

const named = (name: string, extra: object = {}) => Object.assign(new Error('some text that is never parsed'), { name }, extra);

describe('SERVICE_ERRORS (read from the SDK service models)', () => {
  it('maps query codes to the modeled exception, status and fault', () => {
    expect(SERVICE_ERRORS.get('Throttled')).toEqual({ name: 'ThrottledException', httpStatus: 429, fault: 'client' });
    expect(SERVICE_ERRORS.get('KMS.ThrottlingException')).toEqual({ name: 'KmsThrottled', httpStatus: 400, fault: 'client' });
    expect(SERVICE_ERRORS.get('AuthorizationError')).toMatchObject({ httpStatus: 403 });
    expect(SERVICE_ERRORS.get('InternalError')).toMatchObject({ fault: 'server' });
  });
});

describe('classifyFailedEntry', () => {
  // Every throttling code of the SNS and SQS service models, as AWS puts it in a failed entry, with
  // SenderFault true: throttling is never the message's fault.
  it.each(['Throttled', 'KMSThrottling', 'KMS.ThrottlingException', 'RequestThrottled', 'Throttling', 'ThrottlingException'])(
    'entry code %s with SenderFault is retry',
    (code) => {
      expect(classifyFailedEntry({ Code: code, SenderFault: true })).toBe('retry');
    },
  );

  it.each(['InternalError', 'InternalFailure', 'ServiceUnavailable'])('entry code %s is retry', (code) => {
    expect(classifyFailedEntry({ Code: code, SenderFault: false })).toBe('retry');
  });

  it.each(['KMSAccessDenied', 'KMS.DisabledException', 'KMS.NotFoundException', 'KMSOptInRequired', 'AuthorizationError', 'EndpointDisabled'])(
    'entry code %s (about the destination) is blocked',
    (code) => {
      expect(classifyFailedEntry({ Code: code, SenderFault: true })).toBe('blocked');
    },
  );

  it.each(['InvalidParameter', 'ParameterValueInvalid', 'InvalidMessageContents', 'InvalidAttributeValue', 'ValidationException'])(
    'entry code %s (about the message) is permanent',
    (code) => {
      expect(classifyFailedEntry({ Code: code, SenderFault: true })).toBe('permanent');
    },
  );

  it('falls back to SenderFault for an unknown code', () => {
    expect(classifyFailedEntry({ Code: 'Whatever', SenderFault: true })).toBe('permanent');
    expect(classifyFailedEntry({ Code: 'Whatever', SenderFault: false })).toBe('retry');
  });
});

describe('classifyAwsError (a whole call failed)', () => {
  it.each([
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestThrottled',
    'KMSThrottlingException',
    'KmsThrottled',
    'InternalError',
    'InternalErrorException',
    'TimeoutError',
    'RequestTimeout',
  ])('%s is retry', (name) => {
    expect(classifyAwsError(named(name))).toBe('retry');
  });

  it('SQS RequestThrottled is retry although AWS answers it with 403', () => {
    expect(classifyAwsError(named('RequestThrottled', { $fault: 'client', $metadata: { httpStatusCode: 403 } }))).toBe('retry');
  });

  it.each(['ECONNRESET', 'ETIMEDOUT', 'EPIPE'])('a dropped connection (%s) is retry, also when wrapped', (code) => {
    expect(classifyAwsError(Object.assign(new Error('socket'), { code }))).toBe('retry');
    expect(classifyAwsError(new Error('request failed', { cause: Object.assign(new Error('x'), { code }) }))).toBe('retry');
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('an endpoint that cannot be reached (%s) is blocked, also when wrapped', (code) => {
    expect(classifyAwsError(Object.assign(new Error('connect'), { code }))).toBe('blocked');
    expect(classifyAwsError(new Error('request failed', { cause: Object.assign(new Error('x'), { code }) }))).toBe('blocked');
  });

  it('a 5xx response is retry whatever its name', () => {
    expect(classifyAwsError(named('Unknown', { $fault: 'server', $metadata: { httpStatusCode: 502 } }))).toBe('retry');
  });

  it.each([401, 403, 404])('an unnamed %i (say an HTML page from a proxy) is blocked', (status) => {
    expect(classifyAwsError(named('Unknown', { $fault: 'client', $metadata: { httpStatusCode: status } }))).toBe('blocked');
  });

  it.each([
    'NotFound',
    'NotFoundException',
    'QueueDoesNotExist',
    'AuthorizationErrorException',
    'AccessDenied',
    'InvalidClientTokenId',
    'SignatureDoesNotMatch',
    'RequestTimeTooSkewed',
    'ExpiredToken',
    'KMSDisabledException',
    'KmsAccessDenied',
  ])('%s (about the destination or the environment) is blocked', (name) => {
    expect(classifyAwsError(named(name, { $metadata: { httpStatusCode: 400 } }))).toBe('blocked');
  });

  it.each(['InvalidParameter', 'InvalidParameterValue', 'ValidationError', 'BatchRequestTooLong', 'InvalidMessageContents'])(
    '%s (about the content) is permanent',
    (name) => {
      expect(classifyAwsError(named(name, { $metadata: { httpStatusCode: 400 } }))).toBe('permanent');
    },
  );

  it('an unknown error is retry (the relay dead-letters it after maxAttempts)', () => {
    expect(classifyAwsError(named('NeverSeenBefore', { $metadata: { httpStatusCode: 400 } }))).toBe('retry');
    expect(classifyAwsError('a string')).toBe('retry');
  });

  it('does not read the message text', () => {
    expect(classifyAwsError(Object.assign(new Error('Throttling: rate exceeded'), { name: 'InvalidParameter' }))).toBe('permanent');
  });
});

describe('describeAwsError', () => {
  it('gives name and message', () => {
    expect(describeAwsError(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }))).toBe('NotFoundException: Topic does not exist');
  });

  it('adds the HTTP status when the SDK could only say Unknown', () => {
    expect(describeAwsError(named('Unknown', { message: 'Unknown', $metadata: { httpStatusCode: 403 } }))).toBe('Unknown (HTTP 403)');
  });
});

describe('InvalidParameter and its siblings: by the parameter they name', () => {
  // Messages as AWS writes them (sources: fixtures/awsAnswers.ts, and for the SQS form
  // https://github.com/github-aws-runners/terraform-aws-github-runner/issues/1562).
  it.each([
    ['InvalidParameter', 'Invalid parameter: TopicArn'],
    ['InvalidParameterException', 'Invalid parameter: TopicArn'],
    ['InvalidParameter', 'Invalid parameter: TargetArn Reason: no value for required parameter'],
    ['InvalidParameterValue', 'Value http://sqs.example/1/q for parameter QueueUrl is invalid. Reason: bad host.'],
  ])('%s "%s" names the target: blocked', (name, message) => {
    expect(classifyAwsError(Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } }))).toBe('blocked');
    expect(classifyFailedEntry({ Code: name, Message: message, SenderFault: true })).toBe('blocked');
  });

  it.each([
    ['InvalidParameter', 'Invalid parameter: Message too long'],
    ['InvalidParameter', 'Invalid parameter: MessageAttributes'],
    ['InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.'],
    ['InvalidParameterValue', 'Value 4643128775 for parameter MessageGroupId is invalid. Reason: The request include parameter that is not valid for this queue type.'],
    ['InvalidParameter', 'Some new wording that names nothing'],
  ])('%s "%s" is about the message: permanent', (name, message) => {
    expect(classifyAwsError(Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } }))).toBe('permanent');
  });

  it('reads the parameter only of InvalidParameter-family codes', () => {
    expect(classifyAwsError(Object.assign(new Error('Invalid parameter: TopicArn'), { name: 'InvalidMessageContents' }))).toBe('permanent');
  });
});
