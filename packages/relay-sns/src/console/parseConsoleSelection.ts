import { type MessageSelection } from '@tx-outbox/outbox-typeorm/postgres';
import { isFingerprintId } from '@tx-outbox/outbox-typeorm/internal';
import { parseSelection } from '../cli/parseSelection.js';
import { ConsoleInputError } from './ConsoleInputError.js';

/** A form's or a query string's fields: each name as the CLI's flag (`id`, `subject`, `exact-subject`, `since`, `until`), plus `group-key` and `fingerprint`. */
export type ConsoleFields = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

/**
 * The selection a console form names, read with the CLI's own rules (`parseSelection`: uuids, subject
 * patterns, calendar times and ages, since before until), plus a group key and a failure fingerprint.
 * Empty fields are left out; `all=1` selects everything (as `--all`).
 *
 * @throws ConsoleInputError naming the field.
 */
export function parseConsoleSelection(operation: string, fields: ConsoleFields, now = Date.now()): MessageSelection {
  const ids = ([] as string[]).concat(fields.id ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
  const flags = { all: first(fields.all) === '1', id: ids, subject: first(fields.subject), 'exact-subject': first(fields['exact-subject']), since: first(fields.since), until: first(fields.until) };
  const groupKey = first(fields['group-key']);
  const fingerprint = first(fields.fingerprint);
  if (fingerprint !== undefined && !isFingerprintId(fingerprint)) throw new ConsoleInputError('fingerprint', 'a failure fingerprint is 16 hex digits, as the failures page links it');
  if (groupKey !== undefined && groupKey.length > 128) throw new ConsoleInputError('group-key', 'a group key is at most 128 characters');
  const extra = { ...(groupKey !== undefined ? { groupKey } : {}), ...(fingerprint !== undefined ? { fingerprint } : {}) };
  const cliFilters = ids.length > 0 || [flags.subject, flags['exact-subject'], flags.since, flags.until].some((v) => v !== undefined);
  if (flags.all && Object.keys(extra).length > 0) throw new ConsoleInputError('all', 'all cannot be combined with a group key or a fingerprint');
  if (!flags.all && !cliFilters) {
    if (Object.keys(extra).length === 0) throw new ConsoleInputError(operation, `${operation} needs a selection: ids, a subject, a time range, a group key or a failure fingerprint`);
    return extra;
  }
  try {
    const selection = parseSelection(operation, flags, now);
    return selection === 'all' ? selection : { ...selection, ...extra };
  } catch (error) {
    if ((error as Error).name !== 'ConfigError') throw error;
    throw new ConsoleInputError((error as { variable: string }).variable, (error as Error).message.replace(/--([a-z-]+)/g, '$1'));
  }
}
