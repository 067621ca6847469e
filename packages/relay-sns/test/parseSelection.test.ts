// The admin commands' selection flags, read strictly: only real calendar times, ranges that fit, one
// time-zone rule (no offset means UTC, for dates and date-times alike), subject patterns that cannot
// surprise, and every refusal a ConfigError (exit 2) naming its flag.
import { describe, expect, it } from 'vitest';
import { parseSelection } from '../src/cli/parseSelection.js';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const select = (flags: Parameters<typeof parseSelection>[1]) => parseSelection('purge', flags, NOW);
const refusal = (flags: Parameters<typeof parseSelection>[1]) => {
  try {
    select(flags);
  } catch (error) {
    return error as Error & { setting?: string };
  }
  throw new Error(`accepted ${JSON.stringify(flags)}`);
};

describe('--since / --until', () => {
  it.each([
    ['2026-02-28', '2026-02-28T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2026-02-28T13:05', '2026-02-28T13:05:00.000Z'],
    ['2026-02-28 13:05:09.5', '2026-02-28T13:05:09.500Z'],
    ['2026-02-28T13:05:09Z', '2026-02-28T13:05:09.000Z'],
    ['2026-02-28T13:05:09+02:00', '2026-02-28T11:05:09.000Z'],
    ['2026-02-28T13:05:09-0530', '2026-02-28T18:35:09.000Z'],
    ['90m', '2026-12-07T10:30:00.000Z'],
    ['2d', '2026-12-05T12:00:00.000Z'],
  ])('reads %s as %s (no offset: UTC)', (raw, iso) => {
    expect((select({ since: raw }) as { since: Date }).since.toISOString()).toBe(iso);
  });

  it.each([
    ['2026-02-30', /not a real calendar date/],
    ['2025-02-29', /not a real calendar date/],
    ['2026-13-01', /not a real calendar date/],
    ['2026-04-31T10:00Z', /not a real calendar date/],
    ['2026-02-28T24:00', /not a real calendar date/],
    ['2026-02-28T12:60', /not a real calendar date/],
    ['2026-02-28T12:00:61', /not a real calendar date/],
    ['2026-02-28T12:00+24:00', /offset/],
    ['100000000d', /before 1970/],
    ['99999999999999999999999d', /before 1970/],
    ['1969-12-31', /between 1970 and 9999/],
    ['yesterday', /neither a time nor an age/],
    ['2026-2-3', /neither a time nor an age/],
  ])('refuses %s naming the flag, exit 2', (raw, why) => {
    for (const flag of ['since', 'until'] as const) {
      const error = refusal({ [flag]: raw });
      expect(error.name).toBe('ConfigError');
      expect(error.message).toMatch(new RegExp(`^--${flag} `));
      expect(error.message).toMatch(why);
    }
  });

  it('refuses a range that ends before it starts, naming both flags', () => {
    expect(refusal({ since: '2026-03-01', until: '2026-02-01' }).message).toMatch(/--since .* must be before --until/);
  });
});

describe('--subject and --exact-subject', () => {
  it.each([
    ['payment.created', { subject: 'payment.created' }],
    ['payment.*', { subject: 'payment.*' }],
    ['*', { subject: '*' }],
  ])('--subject %s', (subject, selection) => {
    expect(select({ subject })).toEqual(selection);
  });

  it.each([
    ['promo*', /"promo\*" is not a subject pattern.*"promo\.\*"/],
    ['pay*ment', /not a subject pattern/],
    ['*.created', /not a subject pattern/],
    ['', /must not be empty/],
  ])('refuses --subject %j naming the flag', (subject, why) => {
    const error = refusal({ subject });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toMatch(/^--subject: /);
    expect(error.message).toMatch(why);
  });

  it('selects a subject that itself ends in * with --exact-subject, and refuses both at once', () => {
    expect(select({ 'exact-subject': 'promo*' })).toEqual({ exactSubject: 'promo*' });
    expect(refusal({ subject: 'a.*', 'exact-subject': 'a' }).message).toMatch(/^--subject and --exact-subject: .*not both/);
  });

  it('names --all, --id when they are wrong', () => {
    expect(refusal({ all: true, subject: 'x' }).message).toMatch(/--all cannot be combined/);
    expect(refusal({ id: ['nope'] }).message).toMatch(/^--id must be a message uuid/);
  });
});
