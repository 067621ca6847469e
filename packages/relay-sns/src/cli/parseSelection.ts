import { type MessageSelection } from '@tx-outbox/outbox-typeorm/postgres';
import { parseSelectionSubject } from '@tx-outbox/outbox-typeorm/internal';
import { ConfigError } from './ConfigError.js';
import { parseSelectionTime } from './parseSelectionTime.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The selection flags of `requeue`, `republish` and `purge`. */
export interface SelectionFlags {
  all?: boolean;
  id?: string[];
  subject?: string;
  'exact-subject'?: string;
  since?: string;
  until?: string;
}

/**
 * The messages a command applies to: `--all`, or any of `--id <uuid>` (repeatable), `--subject <pattern>`
 * (`payment.created`; `payment.*` for every subject under `payment.`; `*` for all; see
 * `parseSelectionSubject`) or `--exact-subject <subject>` (one subject as written, a `*` in it
 * included), `--since` / `--until` (see `parseSelectionTime`: an ISO date or date-time, UTC unless it
 * has an offset, or an age such as `90m`, `1h`, `2d`), which must all match.
 *
 * @throws ConfigError (exit 2) naming the flag that is wrong or missing.
 */
export function parseSelection(command: string, flags: SelectionFlags, now = Date.now()): MessageSelection {
  const exactSubject = flags['exact-subject'];
  const filters = Boolean(flags.id?.length) || flags.subject !== undefined || exactSubject !== undefined || flags.since !== undefined || flags.until !== undefined;
  if (flags.all && filters) throw new ConfigError('all', `${command}: --all cannot be combined with --id, --subject, --exact-subject, --since or --until.`);
  if (!flags.all && !filters) {
    throw new ConfigError(command, `${command} needs --all, or at least one of --id <uuid> (repeatable), --subject <pattern>, --exact-subject <subject>, --since <time>, --until <time>.`);
  }
  if (flags.all) return 'all';
  for (const id of flags.id ?? []) if (!UUID.test(id)) throw new ConfigError('id', `--id must be a message uuid, got ${JSON.stringify(id)}.`);
  try {
    parseSelectionSubject({ subject: flags.subject, exactSubject });
  } catch (error) {
    const flag = flags.subject !== undefined && exactSubject !== undefined ? '--subject and --exact-subject' : flags.subject !== undefined ? '--subject' : '--exact-subject';
    throw new ConfigError(exactSubject !== undefined ? 'exact-subject' : 'subject', `${flag}: ${(error as Error).message}.`);
  }
  const since = flags.since === undefined ? undefined : parseSelectionTime('since', flags.since, now);
  const until = flags.until === undefined ? undefined : parseSelectionTime('until', flags.until, now);
  if (since && until && since >= until) throw new ConfigError('since', `--since (${since.toISOString()}) must be before --until (${until.toISOString()}).`);
  return {
    ...(flags.id?.length ? { ids: flags.id } : {}),
    ...(flags.subject !== undefined ? { subject: flags.subject } : {}),
    ...(exactSubject !== undefined ? { exactSubject } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}
