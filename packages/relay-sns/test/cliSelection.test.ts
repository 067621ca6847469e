// The selection rules through the real CLI and database: a refused value exits 2 with one line naming
// its flag (no stack) and touches nothing; subject patterns select what they say and no more.
import { beforeAll, describe, expect, it } from 'vitest';
import { useCliDatabase } from './support/cliDatabase.js';
import { runCli } from './support/cliProcess.js';

const cli = useCliDatabase('cliselect');

beforeAll(async () => {
  expect((await runCli(['migrate'], { DATABASE_URL: cli.db.url })).code).toBe(0);
});

async function insertDead(subject: string, createdAt = 'now()'): Promise<string> {
  const { rows } = await cli.pool.query<{ id: string }>(
    `INSERT INTO outbox (id, subject, payload, created_at, dead_at, last_error) VALUES (gen_random_uuid(), $1, '{}'::jsonb, ${createdAt}, now(), 'boom') RETURNING id::text`,
    [subject],
  );
  return rows[0]!.id;
}
const deadCount = async () => Number((await cli.pool.query('SELECT count(*) AS n FROM outbox WHERE dead_at IS NOT NULL')).rows[0].n);
const matched = (logs: Array<Record<string, unknown>>) => logs.find((l) => 'matched' in l)?.matched;

describe('outbox-relay selection flags', () => {
  it.each([
    [['purge', '--since', '2026-02-30', '--yes'], /^outbox-relay: --since is not a real calendar date and time, got "2026-02-30"/],
    [['purge', '--until', '100000000d', '--yes'], /^outbox-relay: --until is an age that reaches before 1970/],
    [['purge', '--since', '100000000d', '--yes'], /^outbox-relay: --since is an age that reaches before 1970/],
    [['purge', '--subject', 'promo*', '--yes'], /^outbox-relay: --subject: "promo\*" is not a subject pattern/],
  ])('%j exits 2 with one line naming the flag, and purges nothing', async (args, line) => {
    await insertDead('promo.started');
    const before = await deadCount();
    const { code, stderr, logs } = await runCli([...args], { DATABASE_URL: cli.db.url });
    expect(code).toBe(2);
    expect(stderr).toEqual([expect.stringMatching(line)]);
    expect(logs).toEqual([]);
    expect(await deadCount()).toBe(before);
  });

  it('--subject promo.* selects subjects under promo., not promotion.*; --exact-subject selects a subject ending in *', async () => {
    await cli.pool.query('DELETE FROM outbox');
    await insertDead('promo.started');
    await insertDead('promo.ended');
    await insertDead('promotion.started');
    const starred = await insertDead('promo*');
    const env = { DATABASE_URL: cli.db.url };

    expect(matched((await runCli(['requeue', '--subject', 'promo.*', '--dry-run'], env)).logs)).toBe(2);
    expect(matched((await runCli(['requeue', '--subject', '*', '--dry-run'], env)).logs)).toBe(4);
    expect(matched((await runCli(['requeue', '--exact-subject', 'promo*', '--dry-run'], env)).logs)).toBe(1);
    expect((await runCli(['requeue', '--exact-subject', 'promo*'], env)).code).toBe(0);
    const pending = await cli.pool.query('SELECT id::text FROM outbox WHERE dead_at IS NULL');
    expect(pending.rows.map((r) => r.id)).toEqual([starred]);
  });

  it('a date without an offset is midnight UTC, as a date-time without one is UTC', async () => {
    await cli.pool.query('DELETE FROM outbox');
    await insertDead('tz.a', `'2026-03-01T00:30:00Z'`);
    await insertDead('tz.b', `'2026-02-28T23:30:00Z'`);
    const env = { DATABASE_URL: cli.db.url, TZ: 'Pacific/Kiritimati' };
    expect(matched((await runCli(['requeue', '--since', '2026-03-01', '--dry-run'], env)).logs)).toBe(1);
    expect(matched((await runCli(['requeue', '--since', '2026-03-01T00:00', '--dry-run'], env)).logs)).toBe(1);
    expect(matched((await runCli(['requeue', '--since', '2026-03-01T00:00+01:00', '--dry-run'], env)).logs)).toBe(2);
  });
});
