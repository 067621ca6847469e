import type { MessageSelection } from '@tx-outbox/outbox-typeorm/postgres';
import { ConfigError } from './ConfigError.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AGO = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The selection flags of `requeue`, `republish` and `purge`. */
export interface SelectionFlags {
  all?: boolean;
  id?: string[];
  subject?: string;
  since?: string;
  until?: string;
}

/**
 * The messages a command applies to: `--all`, or any of `--id <uuid>` (repeatable), `--subject <pattern>`
 * (`payment.created`, `payment.*`, as in the routes), `--since` / `--until` (an ISO time, or an age
 * such as `90m`, `1h`, `2d`), which must all match.
 *
 * @throws ConfigError (exit 2) naming the flag that is wrong or missing.
 */
export function parseSelection(command: string, flags: SelectionFlags, now = Date.now()): MessageSelection {
  const filters = Boolean(flags.id?.length) || flags.subject !== undefined || flags.since !== undefined || flags.until !== undefined;
  if (flags.all && filters) throw new ConfigError(command, `${command}: --all cannot be combined with --id, --subject, --since or --until.`);
  if (!flags.all && !filters) {
    throw new ConfigError(command, `${command} needs --all, or at least one of --id <uuid> (repeatable), --subject <pattern>, --since <time>, --until <time>.`);
  }
  if (flags.all) return 'all';
  for (const id of flags.id ?? []) if (!UUID.test(id)) throw new ConfigError(command, `--id must be a message uuid, got ${JSON.stringify(id)}.`);
  if (flags.subject === '') throw new ConfigError(command, '--subject must not be empty (use * for every subject).');
  const since = flags.since === undefined ? undefined : parseTime('since', flags.since, now);
  const until = flags.until === undefined ? undefined : parseTime('until', flags.until, now);
  if (since && until && since >= until) throw new ConfigError(command, `--since (${since.toISOString()}) must be before --until (${until.toISOString()}).`);
  return {
    ...(flags.id?.length ? { ids: flags.id } : {}),
    ...(flags.subject !== undefined ? { subject: flags.subject } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

function parseTime(flag: string, raw: string, now: number): Date {
  const ago = AGO.exec(raw);
  if (ago) return new Date(now - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS]);
  // Only full ISO dates/times: Date.parse also takes loose forms whose time zone is a guess.
  const time = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(time)) {
    throw new ConfigError(flag, `--${flag} must be an ISO time (2026-11-29T13:00:00Z) or an age such as 90m, 1h or 2d, got ${JSON.stringify(raw)}.`);
  }
  return new Date(time);
}
