// The sidecar behind PgBouncer in transaction mode (the run's real PgBouncer): listening through the
// pooler it warns and sets outbox_relay_wakeups_lost; with OUTBOX_LISTEN_DATABASE_URL pointed at
// PostgreSQL it wakes on NOTIFY again while claiming through the pooler.
import { SNSClient } from '@aws-sdk/client-sns';
import { throughPooler } from '@tx-outbox/devkit';
import { waitFor } from '@tx-outbox/outbox-core/testing';
import pg from 'pg';
import { beforeAll, afterAll, describe, expect, inject, it } from 'vitest';
import { awsConfig, createTopic } from './support/aws.js';
import { useCliDatabase } from './support/cliDatabase.js';
import { startCli } from './support/cliProcess.js';

const cli = useCliDatabase('cli_pooler');
let pooledUrl: string;
let pooled: pg.Pool;
let env: Record<string, string>;

beforeAll(async () => {
  pooledUrl = throughPooler(cli.db.url, inject('pgbouncerUrl'), inject('pgbouncerError'));
  pooled = new pg.Pool({ connectionString: pooledUrl, max: 2 });
  const sns = new SNSClient(awsConfig());
  const topicArn = await createTopic(sns, 'cli-pooler');
  sns.destroy();
  env = { DATABASE_URL: pooledUrl, OUTBOX_ROUTES: `pooler.*=${topicArn}`, AWS_ENDPOINT_URL: inject('awsEndpoint'), OUTBOX_HTTP_PORT: '0' };
  const migrate = startCli(['migrate'], env);
  expect((await migrate.exited).code).toBe(0);
});
afterAll(async () => {
  await pooled?.end();
});

/** One sample of the text exposition, e.g. `outbox_relay_wakeups_lost`. */
async function metric(port: number, series: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Commits one outbox row with the publisher's NOTIFY, in a transaction through the pooler; returns its id. */
async function commitThroughPooler(subject: string): Promise<string> {
  const client = await pooled.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(`INSERT INTO outbox (id, subject, payload) VALUES (gen_random_uuid(), $1, '{}') RETURNING id::text AS id`, [subject]);
    await client.query(`SELECT pg_notify('outbox_notify', '')`);
    await client.query('COMMIT');
    return rows[0].id;
  } finally {
    client.release();
  }
}

const sentAt = async (id: string) => (await cli.pool.query('SELECT sent_at FROM outbox WHERE id = $1', [id])).rows[0]?.sent_at ?? null;

describe('outbox-relay behind PgBouncer in transaction mode', () => {
  it('listening through the pooler: one warning naming the cause and OUTBOX_LISTEN_DATABASE_URL, outbox_relay_wakeups_lost 1, still publishing on the poll', async () => {
    const relay = startCli(['run', '--poll-interval-ms', '1000'], env);
    cli.running.push(relay);
    const { port } = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
    const warning = await relay.waitForLog((l) => l.level === 'warn' && String(l.msg).includes('wake-ups lost'), 20_000);
    expect(String(warning.msg)).toMatch(/transaction mode.*OUTBOX_LISTEN_DATABASE_URL/);
    expect(String(warning.msg)).not.toContain('postgres:postgres@'); // no URL, no password
    await waitFor(async () => (await metric(port, 'outbox_relay_wakeups_lost')) === 1, { timeoutMs: 10_000, description: 'gauge set' });
    expect(await metric(port, 'outbox_relay_errors_total{stage="wakeup"}')).toBe(1);
    const id = await commitThroughPooler('pooler.polled');
    await waitFor(async () => (await sentAt(id)) !== null, { timeoutMs: 15_000, description: 'published on the poll' });
    expect(relay.logs.filter((l) => l.level === 'warn' && String(l.msg).includes('wake-ups lost'))).toHaveLength(1);
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);
  });

  it('with OUTBOX_LISTEN_DATABASE_URL pointed at PostgreSQL, a commit through the pooler wakes a relay whose poll is an hour long', async () => {
    const relay = startCli(['run', '--poll-interval-ms', '3600000'], { ...env, OUTBOX_LISTEN_DATABASE_URL: cli.db.url });
    cli.running.push(relay);
    const { port } = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
    // Once the claim at start has returned (empty), only a wake-up can make this relay claim again.
    await waitFor(async () => ((await metric(port, 'outbox_claim_duration_seconds_count')) ?? 0) >= 1, { timeoutMs: 15_000, description: 'first claim' });
    const id = await commitThroughPooler('pooler.woken');
    await waitFor(async () => (await sentAt(id)) !== null, { timeoutMs: 15_000, description: 'published on NOTIFY' });
    expect(await metric(port, 'outbox_relay_wakeups_lost')).toBe(0);
    expect(relay.logs.filter((l) => String(l.msg).includes('wake-ups lost'))).toEqual([]);
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);
  });
});
