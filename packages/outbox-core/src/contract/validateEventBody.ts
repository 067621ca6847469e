import { type EventBodyIssue, InvalidEventBodyError, UnknownEventSubjectError } from '../errors.js';
import type { EventContract } from './EventContract.js';
import type { StandardSchemaV1 } from './StandardSchemaV1.js';

/**
 * Checks `body` against the schema the contract declares for `subject` and resolves to the schema's
 * output (its parsed value; the body itself for a type-only entry). One rule for both ends: the typed
 * outbox calls it before writing, the consumers before running a handler.
 * @throws UnknownEventSubjectError when the contract has no such subject; InvalidEventBodyError listing every issue.
 */
export async function validateEventBody(contract: EventContract, subject: string, body: unknown, options?: { messageId?: string }): Promise<unknown> {
  if (!Object.hasOwn(contract.events, subject)) throw new UnknownEventSubjectError(subject);
  const entry = contract.events[subject]!;
  if (!('~standard' in entry)) return body;
  const result = await (entry as StandardSchemaV1)['~standard'].validate(body);
  if (result.issues) throw new InvalidEventBodyError(subject, result.issues.map(issueOf), options);
  return result.value;
}

function issueOf(issue: StandardSchemaV1.Issue): EventBodyIssue {
  const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' && segment !== null ? segment.key : segment)).join('.');
  return { path, message: issue.message };
}
