import { OutboxError } from '@tx-outbox/outbox-core';

/** How a selection matches subjects: one subject exactly, or every subject under a `segment.` prefix. */
export type SelectionSubject = { exact: string } | { prefix: string };

/** Why a subject filter is refused: what is wrong with it, for an error that names its option or flag. */
export class SelectionSubjectError extends OutboxError {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionSubjectError';
  }
}

/**
 * Reads the subject filter of a selection. `subject` is a pattern: a subject (`payment.created`)
 * matches only itself; a trailing `.*` (`payment.*`) every subject under that segment
 * (`payment.created`, `payment.refund.done`, not `payments.x`); `*` alone every subject. A `*` anywhere
 * else is refused, so `promo*` never matches `promotion.started` by surprise. `exactSubject` matches one
 * subject as written, `*` included (a subject that itself ends in `*`).
 *
 * @throws SelectionSubjectError when both are given, one is empty, or the pattern has a `*` elsewhere.
 */
export function parseSelectionSubject(filter: { subject?: string; exactSubject?: string }): SelectionSubject | undefined {
  const { subject, exactSubject } = filter;
  if (subject !== undefined && exactSubject !== undefined) throw new SelectionSubjectError('give a subject pattern or an exact subject, not both');
  if (exactSubject !== undefined) {
    if (exactSubject === '') throw new SelectionSubjectError('an exact subject must not be empty');
    return { exact: exactSubject };
  }
  if (subject === undefined) return undefined;
  if (subject === '') throw new SelectionSubjectError('a subject pattern must not be empty (* selects every subject)');
  if (subject === '*') return { prefix: '' };
  const star = subject.indexOf('*');
  if (star === -1) return { exact: subject };
  if (star === subject.length - 1 && subject.endsWith('.*') && subject.length > 2) return { prefix: subject.slice(0, -1) };
  throw new SelectionSubjectError(
    `${JSON.stringify(subject)} is not a subject pattern: a * may only stand alone (every subject) or end the pattern after a dot (${JSON.stringify(suggestion(subject))}); to select a subject that contains a * as written, select it exactly`,
  );
}

function suggestion(subject: string): string {
  const base = subject.slice(0, subject.indexOf('*')).replace(/\.+$/, '');
  return base === '' ? '*' : `${base}.*`;
}
