import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { fingerprintSql, isFingerprintId } from './failureFingerprint.js';
import { parseSelectionSubject } from './selectionSubject.js';

/**
 * Which messages an operator's operation (requeue, republish, purge) applies to: `'all'`, or those
 * matching every given filter.
 */
export type MessageSelection =
  | 'all'
  | {
      /** These message ids. */
      ids?: readonly string[];
      /**
       * A subject pattern: `payment.created` (that subject), `payment.*` (every subject under
       * `payment.`), `*` (all); a `*` anywhere else is refused (see `parseSelectionSubject`).
       */
      subject?: string;
      /** One subject exactly as written, a `*` in it included. Not with `subject`. */
      exactSubject?: string;
      /** Created at or after this time. */
      since?: Date;
      /** Created before this time. */
      until?: Date;
      /** Messages of this `groupKey` exactly. */
      groupKey?: string;
      /**
       * Dead letters whose error has this failure fingerprint (16 hex digits, as the console and
       * `OutboxAdmin.failureGroups` show it; see `failureFingerprint.ts`). Sent messages have none.
       */
      fingerprint?: string;
    };

/** The seven parameters of {@link selectionFilterSql}; `null` means "no filter on this column". */
export type SelectionParams = [
  ids: readonly string[] | null,
  subject: string | null,
  prefix: string | null,
  since: Date | null,
  until: Date | null,
  groupKey: string | null,
  fingerprint: string | null,
];

export function selectionFilterParams(selection: MessageSelection): SelectionParams {
  if (selection === 'all') return [null, null, null, null, null, null, null];
  const pattern = parseSelectionSubject(selection);
  return [
    selection.ids ?? null,
    pattern && 'exact' in pattern ? pattern.exact : null,
    pattern && 'prefix' in pattern ? pattern.prefix : null,
    selection.since ?? null,
    selection.until ?? null,
    selection.groupKey ?? null,
    selection.fingerprint ?? null,
  ];
}

/**
 * SQL of the selection filter, its parameters at `$first` .. `$first + 6` (ids, exact subject,
 * subject prefix, since, until, group key, fingerprint: see {@link selectionFilterParams}). The time
 * range is on `created_at`.
 */
export function selectionFilterSql(first: number): string {
  const [ids, subject, prefix, since, until, groupKey, fingerprint] = [0, 1, 2, 3, 4, 5, 6].map((i) => `$${first + i}`);
  return (
    `(${ids}::uuid[] IS NULL OR id = ANY(${ids}::uuid[]))` +
    ` AND (${subject}::text IS NULL OR subject = ${subject}::text)` +
    ` AND (${prefix}::text IS NULL OR starts_with(subject, ${prefix}::text))` +
    ` AND (${since}::timestamptz IS NULL OR created_at >= ${since}::timestamptz)` +
    ` AND (${until}::timestamptz IS NULL OR created_at < ${until}::timestamptz)` +
    ` AND (${groupKey}::text IS NULL OR group_key = ${groupKey}::text)` +
    ` AND (${fingerprint}::text IS NULL OR (last_error IS NOT NULL AND ${fingerprintSql('last_error')} = ${fingerprint}::text))`
  );
}

/** @throws InvalidOptionError (option `selection`) unless it is `'all'` or names at least one valid filter. */
export function checkSelection(selection: MessageSelection): MessageSelection {
  if (selection === 'all') return selection;
  const isDate = (d: unknown) => d instanceof Date && !Number.isNaN(d.getTime());
  const valid =
    typeof selection === 'object' &&
    selection !== null &&
    (['ids', 'subject', 'exactSubject', 'since', 'until', 'groupKey', 'fingerprint'] as const).some((key) => selection[key] !== undefined) &&
    (selection.ids === undefined || (Array.isArray(selection.ids) && selection.ids.every((id) => typeof id === 'string'))) &&
    (selection.subject === undefined || typeof selection.subject === 'string') &&
    (selection.exactSubject === undefined || typeof selection.exactSubject === 'string') &&
    (selection.since === undefined || isDate(selection.since)) &&
    (selection.until === undefined || isDate(selection.until)) &&
    (selection.groupKey === undefined || (typeof selection.groupKey === 'string' && selection.groupKey !== '')) &&
    (selection.fingerprint === undefined || isFingerprintId(selection.fingerprint));
  if (!valid) {
    throw new InvalidOptionError(
      'selection',
      "'all', or { ids?: string[], subject?: string, exactSubject?: string, since?: Date, until?: Date, groupKey?: string, fingerprint?: 16 hex digits } with at least one of them",
      selection,
    );
  }
  try {
    parseSelectionSubject(selection);
  } catch (error) {
    throw new InvalidOptionError('selection.subject', `a subject pattern such as payment.created, payment.* or * (${(error as Error).message})`, selection.subject ?? selection.exactSubject);
  }
  return selection;
}
