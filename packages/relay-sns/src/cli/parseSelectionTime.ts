import { ConfigError } from './ConfigError.js';

// A date, or a date and a time (to the minute, second or a fraction), with an optional offset.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const AGO = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The earliest time a flag may name: nothing in an outbox is older than the Unix epoch. */
const EARLIEST = Date.UTC(1970, 0, 1);
/** The latest: the year 9999 (JavaScript dates end in 275760, PostgreSQL's timestamptz in 294276). */
const LATEST = Date.UTC(10_000, 0, 1) - 1;

/**
 * Reads a `--since` / `--until` value: an age before `now` (`90m`, `1h`, `2d`) or an ISO date or date-time.
 *
 * One time-zone rule: a value without an offset is UTC, a date (`2026-02-28`, midnight UTC) as a date-time
 * (`2026-02-28T13:00`); an offset (`Z`, `+02:00`, `-0500`) is taken as written. Only real calendar times
 * are accepted (`2026-02-30`, `25:00`, `+24:00` are refused, never rolled over), between 1970 and 9999.
 *
 * @throws ConfigError (exit 2) naming the flag.
 */
export function parseSelectionTime(flag: 'since' | 'until', raw: string, now: number): Date {
  const fail = (why: string): never => {
    throw new ConfigError(flag, `--${flag} ${why}, got ${JSON.stringify(raw)}. Give an ISO date or date-time (2026-11-29, 2026-11-29T13:00:00Z; UTC when no offset is given) or an age such as 90m, 1h or 2d.`);
  };
  const ago = AGO.exec(raw);
  if (ago) {
    const ms = Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS];
    const time = now - ms;
    if (!Number.isSafeInteger(ms) || time < EARLIEST) fail('is an age that reaches before 1970');
    return new Date(time);
  }
  const m = ISO.exec(raw);
  if (!m) return fail('is neither a time nor an age');
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const fraction = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  const local = Date.UTC(year!, month! - 1, day!, hour, minute, second, fraction);
  const back = new Date(local);
  // Date.UTC rolls 2026-02-30 over to March 2: a field that does not come back as written was not real.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month! - 1 || back.getUTCDate() !== day || back.getUTCHours() !== hour || back.getUTCMinutes() !== minute || back.getUTCSeconds() !== second) {
    fail('is not a real calendar date and time');
  }
  const offset = m[8] === undefined || m[8].toUpperCase() === 'Z' ? 0 : offsetMs(m[8]);
  if (Number.isNaN(offset)) fail('has an offset that is not between -23:59 and +23:59');
  const time = local - offset;
  if (time < EARLIEST || time > LATEST) fail('is not between 1970 and 9999');
  return new Date(time);
}

/** `+02:00`, `-0530` → ms east of UTC; NaN when hours or minutes are out of range. */
function offsetMs(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return NaN;
  return sign * (hours * 60 + minutes) * 60_000;
}
