/** How a publish failure should be treated: try again later, or give up (dead-letter). */
export type FailureKind = 'retry' | 'permanent';

// Codes and error names are matched exactly; the message text is never parsed (it changes between
// services, SDK versions and emulators).
const RETRYABLE = new Set([
  // credentials that ran out mid-call: the SDK refreshes them, the message is fine
  'ExpiredToken',
  'ExpiredTokenException',
  // throttling
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'KMSThrottling',
  'KMSThrottlingException',
  'RequestLimitExceeded',
  'SlowDown',
  // server side
  'InternalError',
  'InternalFailure',
  'InternalErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSInternal',
  'KMSInternalException',
  // timeouts and connections (Node error codes and SDK/smithy error names)
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const PERMANENT = new Set([
  // missing topic / queue
  'NotFound',
  'NotFoundException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  // invalid input
  'InvalidParameter',
  'InvalidParameterException',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'ValidationError',
  'ValidationException',
  'InvalidMessageContents',
  'InvalidAttributeName',
  'InvalidAttributeValue',
  'MessageTooLong',
  'BatchRequestTooLong',
  'TooManyEntriesInBatchRequest',
  'BatchEntryIdsNotDistinct',
  'InvalidBatchEntryId',
  'EmptyBatchRequest',
  'UnsupportedOperation',
  'UnsupportedOperationException',
  // authorization
  'AuthorizationError',
  'AuthorizationErrorException',
  'AccessDenied',
  'AccessDeniedException',
  'InvalidSecurity',
  'InvalidSecurityException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'MissingAuthenticationToken',
  // encryption key unusable
  'KMSDisabled',
  'KMSDisabledException',
  'KMSInvalidState',
  'KMSInvalidStateException',
  'KMSNotFound',
  'KMSNotFoundException',
  'KMSAccessDenied',
  'KMSAccessDeniedException',
  'KMSOptInRequired',
  'KMS.DisabledException',
  'KMS.NotFoundException',
  'KMS.AccessDeniedException',
  // topic/queue state
  'EndpointDisabled',
  'EndpointDisabledException',
  'FilterPolicyLimitExceeded',
  'PlatformApplicationDisabled',
  'PlatformApplicationDisabledException',
  'QueueDeletedRecently',
]);

/** Error-like values thrown by the AWS SDK v3, Node sockets and smithy. */
interface AwsErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  cause?: unknown;
}

/**
 * Classifies an error thrown by an SNS/SQS call (a whole `PublishBatch` / `SendMessageBatch` that
 * failed): `retry` for throttling, 5xx, timeouts and connection errors; `permanent` for not found,
 * invalid parameters, authorization, validation and unusable KMS keys. Unknown errors are `retry`:
 * the relay retries them for a while (its backoff) and dead-letters after `maxAttempts`, which is
 * safer than dead-lettering on an error we have not seen before.
 *
 * Looks at `name`, `Code`/`code` and `$metadata.httpStatusCode`, never at the message text.
 *
 * @example
 * ```ts
 * try { await sns.send(cmd); } catch (err) { if (classifyAwsError(err) === 'permanent') deadLetter(err); }
 * ```
 */
export function classifyAwsError(error: unknown): FailureKind {
  const seen = new Set<unknown>();
  let current: unknown = error;
  // A connection error is often wrapped (e.g. a TimeoutError or SDK error whose cause is ECONNRESET).
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as AwsErrorLike;
    for (const key of [e.name, e.Code, e.code]) {
      if (typeof key !== 'string') continue;
      if (RETRYABLE.has(key)) return 'retry';
      if (PERMANENT.has(key)) return 'permanent';
    }
    const status = e.$metadata?.httpStatusCode;
    if (typeof status === 'number') {
      if (status >= 500 || status === 429) return 'retry';
      if (status === 401 || status === 403 || status === 404) return 'permanent';
    }
    if (e.$retryable) return 'retry';
    current = e.cause;
  }
  return 'retry';
}

/** One failed entry of a `PublishBatch` / `SendMessageBatch` response. */
export interface FailedEntryLike {
  Code?: string;
  Message?: string;
  SenderFault?: boolean;
}

/**
 * Classifies one failed batch entry: a known code decides; otherwise `SenderFault: true` (the request
 * was wrong) is `permanent` and a server-side fault is `retry`.
 */
export function classifyFailedEntry(entry: FailedEntryLike): FailureKind {
  if (entry.Code && RETRYABLE.has(entry.Code)) return 'retry';
  if (entry.Code && PERMANENT.has(entry.Code)) return 'permanent';
  return entry.SenderFault ? 'permanent' : 'retry';
}

/** A one-line description for `last_error`: `Name: message`. */
export function describeAwsError(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const e = error as AwsErrorLike;
    const name = typeof e.name === 'string' ? e.name : typeof e.Code === 'string' ? e.Code : 'Error';
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(e.code ?? '');
    return message ? `${name}: ${message}` : name;
  }
  return String(error);
}
