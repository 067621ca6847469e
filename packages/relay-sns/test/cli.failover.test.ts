// The sidecar against a real primary with a real streaming standby (devkit's startStandby), reaching
// PostgreSQL by a "name" (a TCP proxy the test moves, as DNS moves in a failover):
// - the name points at the standby: /readyz answers 503 with its reasons as JSON (the server is in
//   recovery, claims fail read-only), although reads succeed there; nothing is published;
// - the name points back at the primary, the standby's connections left open as DNS leaves them: the
//   relay gets back to the writer by itself, says once that the store answers again, publishes what
//   waited, listens there, and /readyz is 200 again;
// - a real failover (primary stopped at once, standby promoted, name moved): the same, on the new writer.
// Every LISTEN failure is logged once.
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startPostgres, startSilentProxy, startStandby, testPool, type RunningPostgres, type RunningStandby, type SilentProxy } from '@tx-outbox/devkit';
import type pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { awsConfig, createQueue, createTopic, receiveAll, subscribeQueue, waitFor } from './support/aws.js';
import { runCli, startCli, type CliProcess } from './support/cliProcess.js';

let primary: RunningPostgres;
let standby: RunningStandby;
let dns: SilentProxy;
let relay: CliProcess | undefined;
const pools: pg.Pool[] = [];
let sns: SNSClient;
let sqs: SQSClient;

const address = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });
const byName = () => Object.assign(new URL(primary.url), { port: String(dns.port) }).toString();
function poolOn(url: string): pg.Pool {
  const pool = testPool(url, { max: 2 });
  pools.push(pool);
  return pool;
}

beforeAll(async () => {
  primary = await startPostgres({ forceEmbedded: true });
  expect((await runCli(['migrate'], { DATABASE_URL: primary.url })).code).toBe(0);
  standby = await startStandby(primary);
  dns = await startSilentProxy(address(primary.url));
  sns = new SNSClient(awsConfig());
  sqs = new SQSClient(awsConfig());
}, 120_000);
afterAll(async () => {
  if (relay && relay.child.exitCode === null) relay.child.kill('SIGKILL');
  await relay?.exited;
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await dns?.close();
  await standby?.stop();
  await primary?.stop();
  sns?.destroy();
  sqs?.destroy();
});

async function insert(pool: pg.Pool, n: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO outbox (id, subject, payload) SELECT gen_random_uuid(), 'failover.created', jsonb_build_object('n', n) FROM generate_series(1, $1) n RETURNING id`,
    [n],
  );
  return rows.map((r) => r.id);
}
const receivedIds = async (queueUrl: string, n: number) => new Set((await receiveAll(sqs, queueUrl, n, 30_000)).map((m) => m.MessageAttributes?.['outbox-message-id']?.StringValue));
async function readyz(port: number): Promise<{ status: number; body: { ready: boolean; reasons: Array<{ check: string; code?: string; message: string }> } }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: await res.json() };
}
async function listeningOn(url: string): Promise<boolean> {
  const { rows } = await poolOn(url).query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'outbox-relay' AND query LIKE 'LISTEN %'`);
  return rows[0].n === 1;
}
const metric = async (port: number, line: RegExp) => Number(line.exec(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text())?.[1] ?? 0);

it('readiness says when the database is a standby, and the relay follows the name back to the writer and through a failover by itself', async () => {
  const topicArn = await createTopic(sns, 'failover');
  const queueUrl = await createQueue(sqs, 'failover');
  await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
  const onPrimary = poolOn(primary.url);
  relay = startCli(['run', '--poll-interval-ms', '200', '--store-timeout-ms', '2000'], {
    DATABASE_URL: byName(),
    OUTBOX_ROUTES: `failover.*=${topicArn}`,
    AWS_ENDPOINT_URL: inject('awsEndpoint'),
    OUTBOX_HTTP_PORT: '0',
    OUTBOX_LOG_LEVEL: 'debug',
  });
  const { port } = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
  await relay.waitForLog((l) => l.msg === 'outbox-relay started');
  const first = await insert(onPrimary, 3);
  expect(await receivedIds(queueUrl, 3)).toEqual(new Set(first));
  await waitFor(async () => (await readyz(port)).status === 200);

  // The name points at the standby (the old connections cut, as a failover cuts them).
  dns.moveTo(address(standby.url), { cut: true });
  const waiting = await insert(onPrimary, 4);
  let notReady: Awaited<ReturnType<typeof readyz>> | undefined;
  await waitFor(async () => {
    const r = await readyz(port);
    if (r.status === 503 && r.body.reasons.some((x) => x.check === 'writable') && r.body.reasons.some((x) => x.check === 'claims')) notReady = r;
    return notReady !== undefined;
  }, 30_000);
  expect(notReady!.body.reasons).toEqual(
    expect.arrayContaining([
      { check: 'writable', code: 'in-recovery', message: expect.stringContaining('standby') },
      { check: 'claims', message: expect.stringContaining('read-only transaction') },
    ]),
  );
  const sentMeanwhile = await onPrimary.query(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1) AND sent_at IS NOT NULL`, [waiting]);
  expect(sentMeanwhile.rows[0].n).toBe(0);

  // The name points back at the primary; the relay's connections to the standby stay open.
  dns.moveTo(address(primary.url));
  expect(await receivedIds(queueUrl, 4)).toEqual(new Set(waiting));
  await waitFor(async () => (await readyz(port)).status === 200, 30_000);
  await waitFor(() => listeningOn(primary.url), 30_000);
  await relay.waitForLog((l) => String(l.msg).includes('the store answers again'));

  // A real failover: the primary stops at once, the standby is promoted, the name moves to it.
  await standby.caughtUp();
  await primary.crash!();
  await standby.promote();
  dns.moveTo(address(standby.url));
  const onNewWriter = poolOn(standby.url);
  const after = await insert(onNewWriter, 3);
  expect(await receivedIds(queueUrl, 3)).toEqual(new Set(after));
  await waitFor(async () => (await readyz(port)).status === 200, 30_000);
  await waitFor(() => listeningOn(standby.url), 30_000);

  // Each store outage is said once when it starts and once when it ends; every LISTEN failure once.
  const back = relay.logs.filter((l) => String(l.msg).includes('the store answers again'));
  expect(back.length).toBeGreaterThanOrEqual(1);
  expect(relay.logs.filter((l) => l.level === 'warn' && l.stage === 'claim').length).toBe(back.length);
  const subscribeErrors = await metric(port, /^outbox_relay_errors_total\{stage="subscribe"\} (\d+)$/m);
  expect(subscribeErrors).toBeGreaterThan(0);
  expect(relay.logs.filter((l) => l.stage === 'subscribe')).toHaveLength(subscribeErrors);

  relay.child.kill('SIGTERM');
  expect((await relay.exited).code).toBe(0);
}, 180_000);
