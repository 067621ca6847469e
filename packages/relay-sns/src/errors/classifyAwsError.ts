import { isClockSkewError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { invalidParameterName, ROUTE_PARAMETERS } from './invalidParameterName.js';
import { SERVICE_ERRORS } from './serviceErrorModel.js';

type SdkError = Parameters<typeof isThrottlingError>[0];

/**
 * How a publish failure is treated:
 * - `retry`: may succeed later (throttling, 5xx, timeouts); the message backs off and uses a try.
 * - `permanent`: about this one message (its content, size, attributes); it is dead-lettered.
 * - `blocked`: about where it goes or the environment (authorization, missing topic/queue, KMS key of
 *   the destination, endpoint unreachable or not the service): the route is blocked, the message goes
 *   back without using a try, and the relay probes the route again with a backoff.
 */
export type FailureKind = 'retry' | 'permanent' | 'blocked';

// Codes and error names are matched exactly. Which codes are retryable comes from the SDK (smithy's
// classification and the service models, see SERVICE_ERRORS); what is left to say by hand is which
// of the non-retryable ones are about a message and which about its destination. The message text is
// read in one place only: an InvalidParameter-family answer says which parameter it refuses, and one
// naming the target (TopicArn, QueueUrl) is about the destination (invalidParameterName.ts).

/** Refusals of one request parameter: the message's fault unless the parameter is the route's target. */
const PARAMETER_ERRORS = new Set([
  'InvalidParameter',
  'InvalidParameterException',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'ParameterValueInvalid',
  'ValidationError',
  'ValidationException',
]);

/** A message, or a call's messages together, over what the target takes: a kind of message error. */
const TOO_LONG_ERRORS = new Set(['MessageTooLong', 'BatchRequestTooLong', 'BatchRequestTooLongException']);

/** About one message: the only errors that may dead-letter it. */
const MESSAGE_ERRORS = new Set([
  ...PARAMETER_ERRORS,
  ...TOO_LONG_ERRORS,
  'InvalidMessageContents',
  'InvalidAttributeName',
  'InvalidAttributeValue',
  'BatchEntryIdsNotDistinct',
  'BatchEntryIdsNotDistinctException',
  'TooManyEntriesInBatchRequest',
  'TooManyEntriesInBatchRequestException',
  'InvalidBatchEntryId',
  'InvalidBatchEntryIdException',
  'EmptyBatchRequest',
  'EmptyBatchRequestException',
]);

/** A missing topic or queue. */
const MISSING_TARGET_ERRORS = new Set(['NotFound', 'NotFoundException', 'ResourceNotFound', 'ResourceNotFoundException', 'QueueDoesNotExist', 'NoSuchBucket']);

/** The caller's identity may not do this (an IAM policy lacks the action). */
const ACCESS_DENIED_ERRORS = new Set(['AuthorizationError', 'AuthorizationErrorException', 'AccessDenied', 'AccessDeniedException']);

/** About the destination or the environment: they block the route, whatever the message. */
const ROUTE_ERRORS = new Set([
  // missing or unusable topic / queue (or claim-check bucket)
  ...MISSING_TARGET_ERRORS,
  'InvalidAddress',
  'QueueDeletedRecently',
  'EndpointDisabled',
  'EndpointDisabledException',
  'PlatformApplicationDisabled',
  'PlatformApplicationDisabledException',
  'UnsupportedOperation',
  // authorization
  ...ACCESS_DENIED_ERRORS,
  'InvalidSecurity',
  'InvalidSecurityException',
  'IncompleteSignature',
  // the destination's encryption key
  'KMSAccessDenied',
  'KMSAccessDeniedException',
  'KMSDisabled',
  'KMSDisabledException',
  'KMSInvalidState',
  'KMSInvalidStateException',
  'KMSNotFound',
  'KMSNotFoundException',
  'KMSOptInRequired',
  'KmsAccessDenied',
  'KmsDisabled',
  'KmsInvalidKeyUsage',
  'KmsInvalidState',
  'KmsNotFound',
  'KmsOptInRequired',
]);

/**
 * The caller's credentials do not work, whatever the destination: none could be loaded (the SDK's
 * provider chain, a container or instance endpoint), the web-identity token or session expired, the
 * key is unknown, STS refused to issue them. They block the whole transport, not one route.
 */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'MissingAuthenticationToken',
  'InvalidIdentityToken',
  'InvalidIdentityTokenException',
  'IDPCommunicationError',
  'IDPCommunicationErrorException',
  'IDPRejectedClaim',
  'IDPRejectedClaimException',
]);

/** Node socket codes that say the endpoint cannot be reached at all: an environment fault, not a message's. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Error-like values thrown by the AWS SDK v3, Node sockets and smithy. */
interface AwsErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  cause?: unknown;
}

/** One error seen as smithy sees it: the model's exception name and status filled in for a bare code. */
interface Described {
  keys: string[];
  name: string;
  status: number | undefined;
  fault: unknown;
  retryable: AwsErrorLike['$retryable'];
  code: string;
  message: string;
}

function describe(keys: string[], e: Pick<AwsErrorLike, '$fault' | '$metadata' | '$retryable' | 'code' | 'message'>): Described {
  const modeled = keys.map((k) => SERVICE_ERRORS.get(k)).find((m) => m !== undefined);
  return {
    keys: modeled ? [...keys, modeled.name] : keys,
    name: modeled?.name ?? keys[0] ?? '',
    status: e.$metadata?.httpStatusCode ?? modeled?.httpStatus,
    fault: e.$fault ?? modeled?.fault,
    retryable: e.$retryable,
    code: typeof e.code === 'string' ? e.code : '',
    message: typeof e.message === 'string' ? e.message : '',
  };
}

/** An InvalidParameter-family answer that names the route's target (`Invalid parameter: TopicArn`). */
function refusesTarget(d: Described): boolean {
  if (!d.keys.some((k) => PARAMETER_ERRORS.has(k))) return false;
  const parameter = invalidParameterName(d.message);
  return parameter !== undefined && ROUTE_PARAMETERS.has(parameter);
}

/** The verdict for one error, or undefined when it says nothing known. */
function verdict(d: Described): FailureKind | undefined {
  const smithyView = { name: d.name, code: d.code, message: '', $metadata: { httpStatusCode: d.status }, $retryable: d.retryable } as unknown as SdkError;
  if (d.keys.some((k) => ROUTE_ERRORS.has(k) || CREDENTIAL_ERRORS.has(k)) || isClockSkewError(smithyView) || refusesTarget(d)) return 'blocked';
  if (UNREACHABLE.has(d.code)) return 'blocked';
  // The service models name throttling relayed from KMS (SQS KmsThrottled, SNS KMSThrottling) in a way
  // smithy's generic list does not know; they are throttling all the same.
  if (isThrottlingError(smithyView) || isTransientError(smithyView) || d.fault === 'server' || /Throttl/.test(d.name)) return 'retry';
  if (d.keys.some((k) => MESSAGE_ERRORS.has(k))) return 'permanent';
  if (d.status === 401 || d.status === 403 || d.status === 404) return 'blocked';
  return undefined;
}

/**
 * Classifies an error thrown by an SNS/SQS call (a whole `PublishBatch` / `SendMessageBatch` that
 * failed): `retry` for throttling, 5xx, timeouts and dropped connections; `permanent` for errors about
 * the content; `blocked` for authorization (any 401/403, also an HTML page from a proxy), credentials
 * that do not work (see {@link isCredentialsError}: they block every route), a missing
 * topic/queue (404, `QueueDoesNotExist`), a refused target
 * (`InvalidParameter: Invalid parameter: TopicArn`, what SNS answers for a topic of another region), an
 * unusable KMS key, clock skew and an unreachable endpoint.
 * Unknown errors are `retry`: the relay retries them for a while (its backoff) and dead-letters after
 * `maxAttempts`.
 *
 * Looks at `name`, `Code`/`code`, `$fault`, `$retryable` and `$metadata.httpStatusCode` (and the
 * causes of wrapped errors); of the message text, only at the parameter an InvalidParameter-family
 * answer names.
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
    const keys = [e.name, e.Code, e.code].filter((k): k is string => typeof k === 'string');
    const kind = verdict(describe(keys, e));
    if (kind) return kind;
    current = e.cause;
  }
  return 'retry';
}

/**
 * Whether an error says the caller's AWS credentials do not work (none loaded, expired, unknown, STS
 * refused them), whatever the destination: such a failure blocks every route of the transport.
 * Looks at the error's names and codes and those of its causes.
 */
export function isCredentialsError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current !== null && typeof current === 'object' && !seen.has(current); current = (current as AwsErrorLike).cause) {
    seen.add(current);
    const e = current as AwsErrorLike;
    if ([e.name, e.Code, e.code].some((k) => typeof k === 'string' && CREDENTIAL_ERRORS.has(k))) return true;
  }
  return false;
}

/** Whether any error in the cause chain has one of `names` as its name or code. */
function named(error: unknown, names: ReadonlySet<string>): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current !== null && typeof current === 'object' && !seen.has(current); current = (current as AwsErrorLike).cause) {
    seen.add(current);
    const e = current as AwsErrorLike;
    const keys = [e.name, e.Code, e.code].filter((k): k is string => typeof k === 'string');
    if (describe(keys, e).keys.some((k) => names.has(k))) return true;
  }
  return false;
}

/**
 * Whether a refusal (a thrown error or a failed batch entry) says a message, or a call's messages
 * together, are over what the target takes: `BatchRequestTooLong`, `MessageTooLong`, or an
 * InvalidParameter-family answer about the message's length (SNS `Invalid parameter: Message too long`,
 * SQS `… Reason: Message must be shorter than 262144 bytes.`). Such a refusal is `permanent` to
 * {@link classifyAwsError}; the transports look closer: one of a call that fits the limit they hold
 * for the route means the route's real limit is lower (it blocks the route, it dead-letters nothing).
 */
export function isMessageTooLong(refusal: unknown): boolean {
  if (named(refusal, TOO_LONG_ERRORS)) return true;
  if (refusal === null || typeof refusal !== 'object') return false;
  // A thrown error has `message`; a failed batch entry (FailedEntryLike) has `Message`.
  const e = refusal as AwsErrorLike & { Message?: unknown };
  const keys = [e.name, e.Code, e.code].filter((k): k is string => typeof k === 'string');
  const d = describe(keys, { ...e, message: e.message ?? e.Message });
  return d.keys.some((k) => PARAMETER_ERRORS.has(k)) && TOO_LONG_TEXT.test(d.message);
}

// The two ways AWS words a too-long message in an InvalidParameter-family answer (see isMessageTooLong).
const TOO_LONG_TEXT = /Message too long|Message must be shorter than/;

/** Whether an error says the caller may not do this (an IAM policy lacks the action): AuthorizationError, AccessDenied. */
export function isAccessDenied(error: unknown): boolean {
  return named(error, ACCESS_DENIED_ERRORS);
}

/** Whether an error says the topic, queue or bucket does not exist (NotFound, QueueDoesNotExist, NoSuchBucket). */
export function isMissingTarget(error: unknown): boolean {
  return named(error, MISSING_TARGET_ERRORS);
}

/** One failed entry of a `PublishBatch` / `SendMessageBatch` response. */
export interface FailedEntryLike {
  Code?: string;
  Message?: string;
  SenderFault?: boolean;
}

/**
 * Classifies one failed batch entry by its `Code` (looked up in the service models, so SNS `Throttled`
 * and SQS `KMS.ThrottlingException` are throttling even with `SenderFault: true`); an unknown code
 * falls back to `SenderFault`: `true` (the request was wrong) is `permanent`, else `retry`.
 */
export function classifyFailedEntry(entry: FailedEntryLike): FailureKind {
  const code = entry.Code ?? '';
  const kind = code === '' ? undefined : verdict(describe([code], { message: entry.Message }));
  return kind ?? (entry.SenderFault ? 'permanent' : 'retry');
}

/** A one-line description for `last_error`: `Name: message`, with the HTTP status when the name says nothing. */
export function describeAwsError(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const e = error as AwsErrorLike;
    const name = typeof e.name === 'string' ? e.name : typeof e.Code === 'string' ? e.Code : 'Error';
    let message = typeof e.message === 'string' && e.message !== '' ? e.message : String(e.code ?? '');
    if (message === name) message = '';
    const status = e.$metadata?.httpStatusCode;
    const text = message ? `${name}: ${message}` : name;
    return typeof status === 'number' && (name === 'Unknown' || message === '') ? `${text} (HTTP ${status})` : text;
  }
  return String(error);
}

/** The code to name in logs and metrics for a failure: the AWS code or name, or the HTTP status. */
export function awsErrorCode(error: unknown): string {
  const e = (error ?? {}) as AwsErrorLike;
  for (const key of [e.Code, e.name, e.code]) {
    if (typeof key === 'string' && key !== '' && key !== 'Unknown' && key !== 'Error') return key;
  }
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' ? `HTTP ${status}` : 'Unknown';
}
