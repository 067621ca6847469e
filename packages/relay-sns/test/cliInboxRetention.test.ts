import { describe, expect, inject, it } from 'vitest';
import { waitFor } from './support/aws.js';
import { useCliDatabase } from './support/cliDatabase.js';
import { runCli, startCli } from './support/cliProcess.js';

// The sidecar purges expired inbox records by itself, against a real PostgreSQL.
const cli = useCliDatabase('inbox_retention');
const running = cli.running;

const relayEnv = () => ({
  DATABASE_URL: cli.db.url,
  OUTBOX_ROUTES: '*=arn:aws:sns:us-east-1:000000000000:unused',
  AWS_ENDPOINT_URL: inject('awsEndpoint'),
  OUTBOX_HTTP_PORT: '0',
  OUTBOX_INBOX_RETENTION_INTERVAL_MS: '1000',
});

async function inboxRows(): Promise<string[]> {
  const { rows } = await cli.pool.query<{ message_id: string }>(`SELECT message_id FROM inbox ORDER BY message_id`);
  return rows.map((r) => r.message_id);
}

describe('outbox-relay run: inbox retention', () => {
  it('deletes expired inbox records on its schedule, keeps live ones, and counts them in /metrics', async () => {
    expect((await runCli(['migrate'], { DATABASE_URL: cli.db.url })).code).toBe(0);
    await cli.pool.query(
      `INSERT INTO inbox (consumer, message_id, status, processed_at, expires_at, locked_until)
       SELECT 'billing', 'expired-' || n, 'done', now() - interval '8 days', now() - interval '1 day', NULL::timestamptz FROM generate_series(1, 1500) n
       UNION ALL SELECT 'billing', 'live-1', 'done', now(), now() + interval '7 days', NULL
       UNION ALL SELECT 'billing', 'working', 'in_progress', NULL, now() - interval '1 minute', now() + interval '1 minute'`,
    );
    const relay = startCli(['run'], relayEnv());
    running.push(relay);
    const listening = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
    await waitFor(async () => (await inboxRows()).length === 2, 30_000);
    expect(await inboxRows()).toEqual(['live-1', 'working']);
    const metrics = await (await fetch(`http://127.0.0.1:${listening.port}/metrics`)).text();
    expect(metrics).toMatch(/^outbox_inbox_purged_total 1500$/m);

    // An in_progress record whose lease ran out too is abandoned: the next run removes it.
    await cli.pool.query(`UPDATE inbox SET locked_until = now() - interval '1 second' WHERE message_id = 'working'`);
    await waitFor(async () => (await inboxRows()).length === 1, 30_000);
    expect(await inboxRows()).toEqual(['live-1']);
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);
  });

  it('gives the coming days their partition and truncates then drops a past day once its records expired, without DELETE', async () => {
    await cli.pool.query('DROP TABLE IF EXISTS inbox');
    expect((await runCli(['migrate'], { DATABASE_URL: cli.db.url })).code).toBe(0);
    // A past day's partition (as an earlier run would have made it) holding only expired records.
    const { rows: [day] } = await cli.pool.query<{ lower: string; upper: string; stamp: string }>(
      `SELECT to_char(d, 'YYYYMMDD') AS stamp,
              regexp_replace(lpad(to_hex((extract(epoch FROM d) * 1000)::bigint), 12, '0'), '^(.{8})(.{4})$', '\\1-\\2-0000-0000-000000000000') AS lower,
              regexp_replace(lpad(to_hex((extract(epoch FROM d + interval '1 day') * 1000)::bigint), 12, '0'), '^(.{8})(.{4})$', '\\1-\\2-0000-0000-000000000000') AS upper
         FROM (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') - interval '9 days' AS d) t`,
    );
    const past = `inbox_p${day!.stamp}`;
    await cli.pool.query(`CREATE TABLE ${past} (LIKE inbox INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await cli.pool.query(`ALTER TABLE inbox ATTACH PARTITION ${past} FOR VALUES FROM ('${day!.lower}') TO ('${day!.upper}')`);
    await cli.pool.query(
      `INSERT INTO inbox (consumer, message_id, status, processed_at, expires_at)
       SELECT 'billing', $1::text || lpad(to_hex(n), 4, '0') || '-7000-8000-000000000000', 'done', now() - interval '9 days', now() - interval '2 days'
         FROM generate_series(1, 300) n`,
      [day!.lower.slice(0, 14)],
    );
    expect((await cli.pool.query(`SELECT count(*)::int AS n FROM ${past}`)).rows[0].n).toBe(300);
    const relay = startCli(['run'], relayEnv());
    running.push(relay);
    const listening = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
    const truncated = await relay.waitForLog((l) => l.msg === 'inbox retention truncated an expired partition', 30_000);
    expect(truncated).toMatchObject({ level: 'info', partition: past });
    await relay.waitForLog((l) => l.msg === 'inbox retention dropped empty partitions', 30_000);
    expect((await cli.pool.query('SELECT to_regclass($1) AS t', [past])).rows[0].t).toBeNull();
    expect(relay.logs.some((l) => l.msg === 'inbox retention created partitions ahead')).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${listening.port}/metrics`)).text();
    expect(metrics).toMatch(/^outbox_inbox_partitions_truncated_total 1$/m);
    expect(metrics).toMatch(/^outbox_inbox_purged_total 0$/m);
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);
  });

  it('turns itself off with one log line when the database has no inbox table', async () => {
    await cli.pool.query(`DROP TABLE inbox`);
    const relay = startCli(['run'], relayEnv());
    running.push(relay);
    const off = await relay.waitForLog((l) => l.msg === 'no inbox table; inbox retention is off');
    expect(off).toMatchObject({ level: 'info', table: 'inbox' });
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);
    expect(relay.logs.filter((l) => l.msg === 'inbox retention failed; will retry')).toEqual([]);
  });
});
