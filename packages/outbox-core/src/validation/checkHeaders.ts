import { InvalidHeaderError, TooManyHeadersError } from '../errors.js';
import { CLAIM_CHECK_SIZE_ATTRIBUTES, OUTBOX_ID_ATTRIBUTE, SUBJECT_ATTRIBUTE } from '../messageSize.js';
import { TRACE_HEADERS } from '../tracing/traceHeaders.js';
import { codePointName, firstRefusedCharacter } from './publishableText.js';

/** SNS and SQS carry at most 10 message attributes per message. */
export const MAX_MESSAGE_ATTRIBUTES = 10;
/** Header names the outbox sets itself: the outbox id, the subject and the W3C trace context. */
export const RESERVED_HEADERS: readonly string[] = [OUTBOX_ID_ATTRIBUTE, SUBJECT_ATTRIBUTE, ...TRACE_HEADERS];
/**
 * Headers a user may add: 10 attributes less the four the outbox reserves (`outbox-message-id`,
 * `subject`, `traceparent`, `tracestate`), so the trace context always fits.
 */
export const MAX_HEADERS = MAX_MESSAGE_ATTRIBUTES - RESERVED_HEADERS.length;

/** Longest message attribute name SNS/SQS accept. */
const MAX_NAME_LENGTH = 256;

/**
 * Each header becomes a String message attribute, so it must follow the SNS/SQS attribute rules:
 * a name of 1 to 256 letters, digits, `_`, `-` and `.`, not starting or ending with `.`, without `..`,
 * not starting with `AWS.` or `Amazon.` (any case), not one the relay sets itself; a non-empty value of
 * characters the services accept. `__proto__` is refused too: assigned as a property it would set the
 * attribute object's prototype and be dropped without a trace.
 *
 * @throws InvalidHeaderError naming the header and the rule; TooManyHeadersError over {@link MAX_HEADERS}.
 */
export function checkHeaders(value: unknown, subject: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidHeaderError('', 'headers must be an object of string values, e.g. { tenant: "acme" }.', { subject });
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) throw new TooManyHeadersError(entries.length, MAX_HEADERS, { subject });
  for (const [name, v] of entries) {
    const nameProblem = headerNameProblem(name);
    if (nameProblem !== undefined) {
      throw new InvalidHeaderError(name, `Header name ${JSON.stringify(name)} ${nameProblem}.`, { subject });
    }
    if (typeof v !== 'string') {
      throw new InvalidHeaderError(name, `Header "${name}" must be a string, got ${typeof v}. Convert it with String().`, { subject });
    }
    if (v.length === 0) {
      throw new InvalidHeaderError(name, `Header "${name}" is empty: SNS and SQS refuse an empty attribute value. Leave the header out instead.`, { subject });
    }
    const refused = firstRefusedCharacter(v);
    if (refused !== undefined) {
      throw new InvalidHeaderError(
        name,
        `Header "${name}" holds ${codePointName(refused)}, which SNS and SQS refuse in an attribute value ` +
          '(allowed: tab, newline, carriage return and U+0020 to U+10FFFF except U+FFFE, U+FFFF and unpaired surrogates).',
        { subject },
      );
    }
  }
  return value as Record<string, string>;
}

/** Why `name` cannot be a message attribute name, or undefined when it can. */
function headerNameProblem(name: string): string | undefined {
  if (name === '__proto__') return 'is refused: as a property name it sets an object\'s prototype and the header would be dropped';
  if (RESERVED_HEADERS.includes(name)) return 'is reserved: the outbox sets it on every message';
  if ((CLAIM_CHECK_SIZE_ATTRIBUTES as readonly string[]).includes(name)) return 'is reserved: it marks a claim-checked message (AWS\'s extended-client format), and a consumer would read the body as a pointer to S3';
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_NAME_LENGTH) return `is ${name.length} characters long, over the ${MAX_NAME_LENGTH} SNS/SQS allow`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return 'may hold only letters, digits, _, - and . (the SNS/SQS attribute name rule)';
  if (name.startsWith('.') || name.endsWith('.')) return 'may not start or end with "."';
  if (name.includes('..')) return 'may not hold ".." (two periods in a row)';
  if (/^(aws|amazon)\./i.test(name)) return 'may not start with "AWS." or "Amazon." (in any case): AWS reserves those prefixes';
  return undefined;
}
