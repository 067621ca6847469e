import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsConfig, createQueue, createTopic, receiveAll, subscribeQueue, waitFor } from './support/aws.js';
import { runCli, startCli, type CliProcess } from './support/cliProcess.js';

let db: TestDatabase;
let pool: pg.Pool;
const running: CliProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'cli');
  pool = new pg.Pool({ connectionString: db.url });
});
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.exited;
  }
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

async function insertMessages(subject: string, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO outbox (id, subject, payload, headers)
     SELECT gen_random_uuid(), $1, jsonb_build_object('n', n), '{"source":"cli-test"}'::jsonb FROM generate_series(1, $2) n
     RETURNING id`,
    [subject, count],
  );
  return rows.map((r) => r.id);
}

describe('outbox-relay configuration', () => {
  it('exits 2 with one line naming the variable when DATABASE_URL is missing', async () => {
    const { code, stderr } = await runCli(['run'], { DATABASE_URL: '', OUTBOX_ROUTES: 'a=b' });
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain('DATABASE_URL');
  });

  it('exits 2 naming OUTBOX_BATCH_SIZE and what it expects', async () => {
    const { code, stderr } = await runCli(['run'], { DATABASE_URL: db.url, OUTBOX_ROUTES: 'a=b', OUTBOX_BATCH_SIZE: '0' });
    expect(code).toBe(2);
    expect(stderr.join('\n')).toMatch(/OUTBOX_BATCH_SIZE .*an integer from 1 to 10000/);
  });

  it('exits 2 on a table name that is not an identifier, an unknown flag and a malformed route', async () => {
    const bad = await runCli(['status'], { DATABASE_URL: db.url, OUTBOX_TABLE: 'outbox; drop table x' });
    expect(bad.code).toBe(2);
    expect(bad.stderr.join('\n')).toContain('OUTBOX_TABLE');
    const flag = await runCli(['run', '--no-such-flag'], {});
    expect(flag.code).toBe(2);
    const route = await runCli(['run'], { DATABASE_URL: db.url, OUTBOX_ROUTES: 'no-equals-sign' });
    expect(route.code).toBe(2);
    expect(route.stderr.join('\n')).toContain('OUTBOX_ROUTES');
  });

  it('exits 2 on routes that do not fit the transport, a key given twice, and a hex number', async () => {
    const queueForSns = await runCli(['run'], { DATABASE_URL: db.url, OUTBOX_ROUTES: 'a=https://sqs.us-east-1.amazonaws.com/1/q' });
    expect(queueForSns.code).toBe(2);
    expect(queueForSns.stderr.join('\n')).toMatch(/OUTBOX_ROUTES target for "a" must be an SNS topic ARN/);
    const arnForSqs = await runCli(['run'], { DATABASE_URL: db.url, OUTBOX_TRANSPORT: 'sqs', OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:1:t' });
    expect(arnForSqs.code).toBe(2);
    expect(arnForSqs.stderr.join('\n')).toMatch(/must be an SQS queue URL/);
    const twice = await runCli(['run'], { DATABASE_URL: db.url, OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:1:t,a=arn:aws:sns:us-east-1:1:u' });
    expect(twice.code).toBe(2);
    expect(twice.stderr.join('\n')).toContain('names "a" twice');
    const hex = await runCli(['run'], { DATABASE_URL: db.url, OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:1:t', OUTBOX_MAX_IN_FLIGHT: '0x10' });
    expect(hex.code).toBe(2);
    expect(hex.stderr.join('\n')).toContain('OUTBOX_MAX_IN_FLIGHT');
  });

  it('exits 2 naming OUTBOX_LISTEN_DATABASE_URL when it is not a postgres:// URL, without printing it', async () => {
    const { code, stderr } = await runCli(['run'], {
      // Not the test database's URL: its password (postgres) would be masked wherever the word shows.
      DATABASE_URL: 'postgres://app:p4ss-word@127.0.0.1:1/app',
      OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:1:t',
      OUTBOX_LISTEN_DATABASE_URL: 'http://user:s3cret@db:5432/x',
    });
    expect(code).toBe(2);
    expect(stderr.join('\n')).toMatch(/OUTBOX_LISTEN_DATABASE_URL .*postgres:\/\/ URL/);
    expect(stderr.join('\n')).not.toContain('s3cret');
  });

  it('prints help for each command', async () => {
    const p = startCli(['requeue', '--help'], {});
    const { code } = await p.exited;
    expect(code).toBe(0);
  });
});

describe('outbox-relay commands', () => {
  it('migrate creates the outbox and inbox tables and can run twice', async () => {
    expect((await runCli(['migrate'], { DATABASE_URL: db.url })).code).toBe(0);
    expect((await runCli(['migrate'], { DATABASE_URL: db.url })).code).toBe(0);
    const { rows } = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_name IN ('outbox', 'inbox') ORDER BY 1`);
    expect(rows.map((r) => r.table_name)).toEqual(['inbox', 'outbox']);
  });

  it('status prints the backlog and requeue makes dead messages pending again', async () => {
    await runCli(['migrate'], { DATABASE_URL: db.url });
    const [dead1, dead2] = await insertMessages('cli.dead', 2);
    await pool.query(`UPDATE outbox SET dead_at = now(), last_error = 'boom' WHERE id = ANY($1)`, [[dead1, dead2]]);
    const status = startCli(['status'], { DATABASE_URL: db.url });
    expect((await status.exited).code).toBe(0);
    const stats = status.logs.find((l) => 'dead' in l)!;
    expect(stats.dead).toBeGreaterThanOrEqual(2);
    const listing = startCli(['status', '--dead', '10'], { DATABASE_URL: db.url });
    expect((await listing.exited).code).toBe(0);
    const listed = listing.logs.filter((l) => 'lastError' in l);
    expect(listed.map((l) => l.id)).toEqual(expect.arrayContaining([dead1, dead2]));
    expect(listed.find((l) => l.id === dead1)).toMatchObject({ subject: 'cli.dead', lastError: 'boom' });

    const requeued = await runCli(['requeue', '--id', dead1!], { DATABASE_URL: db.url });
    expect(requeued.code).toBe(0);
    expect(requeued.logs.find((l) => 'requeued' in l)).toEqual({ matched: 1, requeued: 1 });
    const { rows } = await pool.query(`SELECT id, dead_at, attempts FROM outbox WHERE id = ANY($1)`, [[dead1, dead2]]);
    expect(rows.find((r) => r.id === dead1)).toMatchObject({ dead_at: null, attempts: 0 });
    expect(rows.find((r) => r.id === dead2)!.dead_at).not.toBeNull();
    expect((await runCli(['requeue'], { DATABASE_URL: db.url })).code).toBe(2);
    await pool.query(`DELETE FROM outbox WHERE subject = 'cli.dead'`);
  });

  it('run publishes committed rows to SNS, serves /healthz and /metrics, and drains on SIGTERM', async () => {
    await runCli(['migrate'], { DATABASE_URL: db.url });
    const sns = new SNSClient(awsConfig());
    const sqs = new SQSClient(awsConfig());
    const topicArn = await createTopic(sns, 'cli');
    const queueUrl = await createQueue(sqs, 'cli');
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);

    const relay = startCli(['run', '--poll-interval-ms', '200'], {
      DATABASE_URL: db.url,
      OUTBOX_ROUTES: `cli.*=${topicArn}`,
      AWS_ENDPOINT_URL: inject('awsEndpoint'),
      OUTBOX_HTTP_PORT: '0',
    });
    running.push(relay);
    const listening = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
    await relay.waitForLog((l) => l.msg === 'outbox-relay started');
    const ids = await insertMessages('cli.created', 30);

    const received = await receiveAll(sqs, queueUrl, 30);
    const receivedIds = received.map((m) => m.MessageAttributes?.['outbox-message-id']?.StringValue);
    expect(new Set(receivedIds)).toEqual(new Set(ids));
    expect(received[0]!.MessageAttributes?.source?.StringValue).toBe('cli-test');

    const base = `http://127.0.0.1:${listening.port}`;
    // Seen once under load: the port refused. Say what the relay was doing then, to find out why.
    const health = await fetch(`${base}/healthz`).catch(async (error) => {
      const exit = await Promise.race([relay.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 1000))]);
      throw new Error(`${String(error)} (${JSON.stringify(exit)}); relay's last lines:\n${relay.logs.slice(-15).map((l) => JSON.stringify(l)).join('\n')}\n${relay.stderr.slice(-15).join('\n')}`);
    });
    expect(health.status).toBe(200);
    // The sent marks land just after the broker accepted the batch; wait for them through the metrics.
    let metrics = '';
    const published = new RegExp(`^outbox_messages_published_total\\{route="${topicArn.slice(topicArn.lastIndexOf(':') + 1)}"\\} 30$`, 'm');
    for (let i = 0; i < 100 && !published.test(metrics); i++) {
      metrics = await (await fetch(`${base}/metrics`)).text();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(metrics).toMatch(published);
    expect(metrics).toContain('# TYPE outbox_pending_messages gauge');

    relay.child.kill('SIGTERM');
    expect(await relay.exited).toEqual({ code: 0, signal: null });
    const { rows } = await pool.query(`SELECT count(*)::int AS sent, count(locked_by)::int AS leased FROM outbox WHERE id = ANY($1) AND sent_at IS NOT NULL`, [ids]);
    expect(rows[0]).toEqual({ sent: 30, leased: 0 });
    sns.destroy();
    sqs.destroy();
  });

  it('run blocks a route whose topic does not exist: healthy routes flow, /readyz and /metrics name it, nothing dies, and a fixed route publishes it without a requeue', async () => {
    await runCli(['migrate'], { DATABASE_URL: db.url });
    const sns = new SNSClient(awsConfig());
    const sqs = new SQSClient(awsConfig());
    const topicArn = await createTopic(sns, 'cli-routes');
    const queueUrl = await createQueue(sqs, 'cli-routes');
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
    const wrongArn = topicArn.replace(/cli-routes-[^:]+$/, 'cli-typo');
    const env = { DATABASE_URL: db.url, AWS_ENDPOINT_URL: inject('awsEndpoint'), OUTBOX_HTTP_PORT: '0' };
    const broken = startCli(['run', '--poll-interval-ms', '100'], { ...env, OUTBOX_ROUTES: `cli.good.*=${topicArn},cli.typo.*=${wrongArn}` });
    running.push(broken);
    const listening = await broken.waitForLog((l) => l.msg === 'outbox-relay listening');
    await broken.waitForLog((l) => l.msg === 'outbox-relay started');
    const typo = await insertMessages('cli.typo.created', 5);
    const good = await insertMessages('cli.good.created', 5);

    const received = await receiveAll(sqs, queueUrl, 5);
    expect(new Set(received.map((m) => m.MessageAttributes?.['outbox-message-id']?.StringValue))).toEqual(new Set(good));
    const base = `http://127.0.0.1:${listening.port}`;
    let readyz: { status: number; body: { ready: boolean; reasons: unknown[]; blockedRoutes: Array<{ route: string; code: string | null }> } } | undefined;
    for (let i = 0; i < 100 && !readyz?.body.blockedRoutes.length; i++) {
      const res = await fetch(`${base}/readyz`);
      readyz = { status: res.status, body: await res.json() };
      await new Promise((r) => setTimeout(r, 100));
    }
    // Shown, not a readiness failure: the healthy route keeps flowing.
    expect(readyz).toMatchObject({ status: 200, body: { ready: true, reasons: [], blockedRoutes: [{ route: wrongArn, code: 'NotFound' }] } });
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^outbox_route_blocked\{route="cli-typo"\} 1$/m);
    await broken.waitForLog((l) => String(l.msg ?? '').includes(`route ${wrongArn} is blocked (NotFound)`));
    broken.child.kill('SIGTERM');
    expect((await broken.exited).code).toBe(0);
    // Said once per route, not once per waiting message: no 'publish failed' warning for them.
    expect(broken.logs.filter((l) => l.msg === 'publish failed' && typo.includes(l.messageId))).toEqual([]);
    const held = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1) AND dead_at IS NULL AND sent_at IS NULL AND attempts = 0`, [typo]);
    expect(held.rows[0].n).toBe(5);

    // The route is fixed (a new sidecar with the right ARN): the held messages go out, no requeue.
    const fixed = startCli(['run', '--poll-interval-ms', '100'], { ...env, OUTBOX_ROUTES: `cli.*=${topicArn}` });
    running.push(fixed);
    const late = await receiveAll(sqs, queueUrl, 5);
    expect(new Set(late.map((m) => m.MessageAttributes?.['outbox-message-id']?.StringValue))).toEqual(new Set(typo));
    fixed.child.kill('SIGTERM');
    expect((await fixed.exited).code).toBe(0);
    sns.destroy();
    sqs.destroy();
  });

  it('run survives a database that is unreachable at start: logs, reports not ready, exits 0 on SIGTERM', async () => {
    const relay = startCli(['run', '--poll-interval-ms', '100'], {
      DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:1/none',
      OUTBOX_ROUTES: '*=arn:aws:sns:us-east-1:000000000000:none',
      AWS_ENDPOINT_URL: inject('awsEndpoint'),
      OUTBOX_HTTP_PORT: '0',
    });
    running.push(relay);
    const listening = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
    await relay.waitForLog((l) => l.level === 'warn' && l.stage === 'claim');
    expect(relay.child.exitCode).toBeNull();
    const readyz = await fetch(`http://127.0.0.1:${listening.port}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ ready: false, reasons: [{ check: 'claims', message: expect.stringContaining('claims are failing') }] });
    // An outage is said once: one warning for the first failed claim, the next ones at debug level.
    const claimErrors = async () => Number(/^outbox_relay_errors_total\{stage="claim"\} (\d+)$/m.exec(await (await fetch(`http://127.0.0.1:${listening.port}/metrics`)).text())?.[1] ?? 0);
    await waitFor(async () => (await claimErrors()) >= 3);
    expect(relay.logs.filter((l) => l.level === 'warn' && l.stage === 'claim')).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${listening.port}/healthz`)).status).toBe(200);
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);
  });

  it('run drains and exits 0 on a SIGTERM that arrives during startup, and ignores a second one', async () => {
    const relay = startCli(['run'], {
      DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:1/none',
      OUTBOX_ROUTES: '*=arn:aws:sns:us-east-1:000000000000:none',
      AWS_ENDPOINT_URL: inject('awsEndpoint'),
      OUTBOX_HTTP_PORT: '0',
    });
    running.push(relay);
    await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
    relay.child.kill('SIGTERM');
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toEqual({ code: 0, signal: null });
  });
});
