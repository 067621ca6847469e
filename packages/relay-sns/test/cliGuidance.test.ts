// What a newcomer meets on a first run of the sidecar, each answer naming the fix: `outbox-relay dev` for a
// local SNS/SQS, a forgotten migration, a route typo, a second sidecar on one host. As processes, as a
// user runs them.
import { createServer } from 'node:net';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { describe, expect, inject, it } from 'vitest';
import { receiveAll } from './support/aws.js';
import { useCliDatabase } from './support/cliDatabase.js';
import { runCli, startCli, type CliProcess } from './support/cliProcess.js';

const ctx = useCliDatabase('cli_guidance');
const start = (args: string[], env: Record<string, string>): CliProcess => {
  const p = startCli(args, env);
  ctx.running.push(p);
  return p;
};
const insert = (subject: string, groupKey: string | null = null) =>
  ctx.pool.query(`INSERT INTO outbox (id, subject, payload, headers, group_key) VALUES (gen_random_uuid(), $1, '{"first":"hour"}', '{}', $2)`, [subject, groupKey]);
/** Polls /readyz until `until` holds (15 s at most), then returns the last answer. */
async function readyzUntil(port: number, until: (answer: Awaited<ReturnType<typeof readyz>>) => boolean) {
  const deadline = Date.now() + 15_000;
  let answer = await readyz(port);
  while (!until(answer) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    answer = await readyz(port);
  }
  return answer;
}
const readyz = async (port: number) => (await fetch(`http://127.0.0.1:${port}/readyz`)).json() as Promise<{ ready: boolean; reasons: Array<Record<string, string>>; blockedRoutes: Array<Record<string, string>> }>;

/** A port something else holds for the duration of `body`. */
async function withPortTaken<T>(body: (port: number) => Promise<T>): Promise<T> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await body((server.address() as { port: number }).port);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('outbox-relay dev', () => {
  it('starts an emulator, creates the topics and their queues (FIFO by name), prints the environment; a relay run with it delivers', async () => {
    const dev = start(['dev'], { OUTBOX_ROUTES: 'payment.*=payments,refund.created=arn:aws:sns:eu-west-1:123456789012:refunds.fifo', OUTBOX_EMULATOR_PORT: '0', AWS_ENDPOINT_URL: '' });
    const ready = await dev.waitForLog((l) => l.msg === 'dev environment ready');
    // The printed block is a shell's: comments and `export NAME='value'` lines.
    const exported = Object.fromEntries(
      dev.logs.filter((l) => typeof l.raw === 'string' && l.raw.startsWith('export ')).map((l) => /^export ([A-Z_]+)='(.*)'$/.exec(l.raw)!.slice(1, 3)),
    );
    expect(exported).toEqual(ready.environment);
    expect(exported).toMatchObject({ AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: ready.endpoint });
    expect(exported.OUTBOX_ROUTES).toBe('payment.*=arn:aws:sns:us-east-1:000000000000:payments,refund.created=arn:aws:sns:us-east-1:000000000000:refunds.fifo');
    const [payments, refunds] = ready.resources as Array<{ name: string; queueUrl: string }>;
    const sqs = new SQSClient({ endpoint: ready.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const fifo = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: refunds!.queueUrl, AttributeNames: ['FifoQueue'] }));
      expect(fifo.Attributes?.FifoQueue).toBe('true');

      expect((await runCli(['migrate'], { DATABASE_URL: ctx.db.url })).code).toBe(0);
      const relay = start(['run'], { ...exported, DATABASE_URL: ctx.db.url, OUTBOX_HTTP_PORT: '0' });
      await relay.waitForLog((l) => l.msg === 'outbox-relay started');
      await insert('payment.created');
      await insert('refund.created', 'customer-1');
      expect(await receiveAll(sqs, payments!.queueUrl, 1)).toHaveLength(1);
      expect(await receiveAll(sqs, refunds!.queueUrl, 1)).toHaveLength(1);
      relay.child.kill('SIGTERM');
      expect((await relay.exited).code).toBe(0);
    } finally {
      sqs.destroy();
    }
    dev.child.kill('SIGINT');
    expect((await dev.exited).code).toBe(0);
  });

  it('a taken emulator port exits 2 naming OUTBOX_EMULATOR_PORT', async () => {
    const { code, stderr } = await withPortTaken((port) => runCli(['dev'], { OUTBOX_ROUTES: 'a.*=a', OUTBOX_EMULATOR_PORT: String(port), AWS_ENDPOINT_URL: '' }));
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/OUTBOX_EMULATOR_PORT \(--emulator-port\) \d+ is in use on 127\.0\.0\.1 .*give each its own port with OUTBOX_EMULATOR_PORT, or 0/);
  });
});

describe('outbox-relay run on the first day', () => {
  it('a second sidecar on one host: exits 2 naming OUTBOX_HTTP_PORT', async () => {
    const { code, stderr } = await withPortTaken((port) =>
      runCli(['run'], { DATABASE_URL: ctx.db.url, OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:000000000000:a', OUTBOX_HTTP_PORT: String(port) }),
    );
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^outbox-relay: OUTBOX_HTTP_PORT \(--http-port\) \d+ is in use on 127\.0\.0\.1 \(127\.0\.0\.1:\d+: EADDRINUSE\).*OUTBOX_HTTP_PORT, or 0 to pick a free one\.$/);
  });

  it('a forgotten migration: one line naming outbox-relay migrate, /readyz says why, status exits 1 with that line; migrate and it runs', async () => {
    let empty: TestDatabase | undefined;
    let relay: CliProcess | undefined;
    try {
      empty = await createTestDatabase(inject('databaseUrl'), 'cli_guidance_empty');
      relay = start(['run'], { DATABASE_URL: empty.url, OUTBOX_ROUTES: 'a=arn:aws:sns:us-east-1:000000000000:a', OUTBOX_HTTP_PORT: '0', AWS_ENDPOINT_URL: inject('awsEndpoint') });
      const { port } = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
      const said = await relay.waitForLog((l) => l.level === 'error' && l.problem === 'missing');
      expect(said.msg).toMatch(/^The outbox table "outbox" cannot be used: it does not exist\. Create it: run `outbox-relay migrate`/);
      expect(relay.logs.some((l) => /database not reachable/.test(String(l.msg)))).toBe(false);
      const answer = await readyzUntil(port, (a) => a.reasons.some((r) => r.check === 'table'));
      expect(answer.ready).toBe(false);
      expect(answer.reasons).toEqual([expect.objectContaining({ check: 'table', code: 'missing', message: expect.stringContaining('outbox-relay migrate') })]);

      const status = await runCli(['status'], { DATABASE_URL: empty.url });
      expect(status.code).toBe(1);
      expect(status.stderr).toEqual([expect.stringMatching(/^outbox-relay: The outbox table "outbox" cannot be used: it does not exist\. Create it: run `outbox-relay migrate`/)]);

      expect((await runCli(['migrate'], { DATABASE_URL: empty.url })).code).toBe(0);
      expect(await readyzUntil(port, (a) => a.ready)).toMatchObject({ ready: true, reasons: [] });
      relay.child.kill('SIGTERM');
      expect((await relay.exited).code).toBe(0);
    } finally {
      // Its sessions must be gone before the database is dropped.
      if (relay && relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
      await relay?.exited;
      await empty?.drop();
    }
  });

  it('a route typo: the blocked route names OUTBOX_ROUTES in its own subject=target syntax, not the library option', async () => {
    await runCli(['migrate'], { DATABASE_URL: ctx.db.url });
    const relay = start(['run'], { DATABASE_URL: ctx.db.url, OUTBOX_ROUTES: 'invoice.create=arn:aws:sns:us-east-1:000000000000:invoices', OUTBOX_HTTP_PORT: '0', AWS_ENDPOINT_URL: inject('awsEndpoint') });
    const { port } = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
    await insert('invoice.created');
    // The topic does not exist either: its route is blocked at start too, on its own line.
    const blocked = await relay.waitForLog((l) => l.msg === 'route blocked; its messages wait' && String(l.route).startsWith('(no route)'));
    const hint = 'No route for subject "invoice.created" in OUTBOX_ROUTES. Add one there (e.g. invoice.created=<topic ARN or queue URL>, or a prefix rule invoice.*=<…>)';
    expect(String(blocked.error)).toContain(hint);
    expect(String(blocked.error)).not.toContain('{ "invoice.created"');
    const answer = await readyzUntil(port, (a) => a.blockedRoutes.some((b: { route: string }) => b.route.startsWith('(no route)')));
    expect(answer.blockedRoutes).toEqual(expect.arrayContaining([expect.objectContaining({ route: '(no route) invoice.created', error: expect.stringContaining(hint) })]));
    relay.child.kill('SIGTERM');
    expect((await relay.exited).code).toBe(0);
  });
});
