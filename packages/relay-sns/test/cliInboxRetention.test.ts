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
