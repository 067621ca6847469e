// The operator console in a real browser (Debian's chromium through playwright-core), served by the
// outbox-relay sidecar as its own process, against a real PostgreSQL; a requeued group is then
// published by a relay to the real SNS/SQS endpoint. Each security rule has its own test.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeSqsMessage } from '../src/index.js';
import { awsConfig, createQueue, createTopic, receiveAll, subscribeQueue } from './support/aws.js';
import { launchChromium } from './support/browser.js';
import { useCliDatabase } from './support/cliDatabase.js';
import { runCli, startCli, type CliProcess } from './support/cliProcess.js';

const cli = useCliDatabase('console');
const ALICE = 'alice-token-0123456789abcdef';
const SECRET_PASSWORD = 'Cons0le-db-pw-9f3a';
let consoleDbUrl: string;
let browser: Browser;
let ids: { tooLarge: string[]; invalid: string[]; backlog: string[] };

async function insert(sql: string, params: unknown[] = []): Promise<string[]> {
  return (await cli.pool.query<{ id: string }>(sql, params)).rows.map((r) => r.id);
}

beforeAll(async () => {
  expect((await runCli(['migrate'], { DATABASE_URL: cli.db.url })).code).toBe(0);
  // The console connects as a role of its own, whose password must never reach a page.
  await cli.pool.query(`DO $$ BEGIN CREATE ROLE console_reader LOGIN SUPERUSER PASSWORD '${SECRET_PASSWORD}'; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  const url = new URL(cli.db.url);
  url.username = 'console_reader';
  url.password = SECRET_PASSWORD;
  consoleDbUrl = url.toString();
  // Two kinds of dead letters, a backlog, and a day of sent messages for the charts.
  ids = {
    tooLarge: await insert(
      `INSERT INTO outbox (id, subject, payload, attempts, dead_at, last_error)
       SELECT gen_random_uuid(), 'payment.refunded', jsonb_build_object('n', n, 'note', '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'), 1,
              now() - n * interval '1 minute', 'MessageTooLargeError: message ' || gen_random_uuid() || ' is ' || (300000 + n) || ' bytes, over 262144'
         FROM generate_series(1, 5) n RETURNING id::text`,
    ),
    invalid: await insert(
      `INSERT INTO outbox (id, subject, payload, attempts, dead_at, last_error)
       SELECT gen_random_uuid(), 'order.placed', jsonb_build_object('n', n), 20, now() - n * interval '2 minutes',
              'InvalidParameterException: Invalid parameter: MessageAttributes entry ' || n || ' (request ' || gen_random_uuid() || ')'
         FROM generate_series(1, 3) n RETURNING id::text`,
    ),
    backlog: await insert(`INSERT INTO outbox (id, subject, payload) SELECT gen_random_uuid(), 'order.shipped', jsonb_build_object('n', n) FROM generate_series(1, 30) n RETURNING id::text`),
  };
  // 150 sent in the last 50 minutes, 150 between 2 h and 2 h 50 min ago: well inside the hour and the charts' 3 hours.
  await insert(
    `INSERT INTO outbox (id, subject, payload, created_at, sent_at)
     SELECT gen_random_uuid(), 'payment.created', '{}', t, t + interval '120 milliseconds'
       FROM generate_series(1, 300) n,
            LATERAL (SELECT now() - n * interval '20 seconds' - CASE WHEN n > 150 THEN interval '70 minutes' ELSE interval '0 seconds' END AS t) AS c
     RETURNING id::text`,
  );
  browser = await launchChromium();
});

const consoles: CliProcess[] = [];
afterAll(async () => {
  await browser?.close();
  for (const p of consoles) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(consoles.map((p) => p.exited));
});

/** Starts `outbox-relay console` and resolves with its process and address once it listens. */
async function startConsole(env: Record<string, string> = {}): Promise<{ p: CliProcess; base: string }> {
  // Not in cli.running (killed after each test): a describe block's console lives until its afterAll.
  const p = startCli(['console'], { DATABASE_URL: consoleDbUrl, OUTBOX_CONSOLE_PORT: '0', ...env });
  consoles.push(p);
  const line = await p.waitForLog((l) => l.msg === 'outbox console listening');
  return { p, base: `http://127.0.0.1:${line.port}/` };
}

async function stop(p: CliProcess): Promise<void> {
  p.child.kill('SIGTERM');
  expect((await p.exited).code).toBe(0);
}

async function deadIds(): Promise<string[]> {
  return (await cli.pool.query<{ id: string }>(`SELECT id::text FROM outbox WHERE dead_at IS NOT NULL ORDER BY id`)).rows.map((r) => r.id);
}

async function signIn(context: BrowserContext, base: string, token = ALICE): Promise<Page> {
  const page = await context.newPage();
  await page.goto(base);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.fill('#token', token);
  await Promise.all([page.waitForURL(base), page.click('button[type=submit]')]);
  return page;
}

describe('the console, read-only (the default)', () => {
  let served: { p: CliProcess; base: string };
  let context: BrowserContext;
  const pages: string[] = [];
  beforeAll(async () => {
    served = await startConsole();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await context?.close();
    if (served) await stop(served.p);
  });

  it('shows the backlog and draws the charts with data points', async () => {
    const page = await context.newPage();
    await page.goto(served.base);
    pages.push(await page.content());
    await expect.poll(() => page.locator('.tile[data-tile="Dead"] .value').textContent()).toBe('8');
    expect(await page.locator('.tile[data-tile="Pending"] .value').textContent()).toBe('30');
    expect(await page.locator('.tile[data-tile="Sent, last hour"] .value').textContent()).toBe('150');
    // Drawn by console.js with uPlot: a canvas per chart, and the points it was given.
    for (const id of ['chart-published', 'chart-lag', 'chart-dead']) {
      const chart = page.locator(`#${id}`);
      await chart.locator('canvas').waitFor();
      expect(Number(await chart.getAttribute('data-rendered'))).toBeGreaterThan(0);
    }
    const published = JSON.parse((await page.locator('#chart-published').getAttribute('data-chart'))!);
    expect(published.y.reduce((a: number, b: number) => a + b, 0)).toBe(300);
    const inked = await page.locator('#chart-published canvas').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(100);
    await page.close();
  });

  it('groups the dead letters of two kinds by failure, with their counts, and drills down to the payload, escaped', async () => {
    const page = await context.newPage();
    await page.goto(`${served.base}failures`);
    pages.push(await page.content());
    const groups = page.locator('table[data-table=failures] tbody tr');
    expect(await groups.count()).toBe(2);
    const rows = await groups.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('strong')!.textContent, tr.querySelector('[data-count]')!.getAttribute('data-count')]));
    expect(rows).toEqual([['MessageTooLargeError', '5'], ['InvalidParameterException', '3']]);
    expect(await groups.first().locator('code').textContent()).toBe('MessageTooLargeError: message <uuid> is <n> bytes, over <n>');
    expect(await page.locator('a.action').count()).toBe(0); // read-only: no actions offered

    await Promise.all([page.waitForURL(/\/messages\/[0-9a-f-]{36}$/), groups.first().getByText('sample').click()]);
    pages.push(await page.content());
    const payload = JSON.parse((await page.locator('#payload').textContent())!);
    expect(payload).toMatchObject({ n: 1, note: '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">' });
    expect(await page.locator('#payload').innerHTML()).toContain('&lt;script&gt;');
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);
    await page.close();
  });

  it('cuts a payload over 256 KiB, and links the whole of it for download', async () => {
    const [id] = await insert(`INSERT INTO outbox (id, subject, payload) VALUES (gen_random_uuid(), 'report.ready', jsonb_build_object('text', repeat('y', 300 * 1024))) RETURNING id::text`);
    const page = await context.newPage();
    await page.goto(`${served.base}messages/${id}`);
    pages.push(await page.content());
    expect(await page.locator('[role=note]').textContent()).toContain('larger than 256 KiB');
    expect((await page.locator('#payload').textContent())!.length).toBe(256 * 1024);
    const download = await page.request.get(`${served.base}messages/${id}/payload`);
    expect(download.headers()['content-disposition']).toBe(`attachment; filename="${id}.json"`);
    expect(JSON.parse(await download.text()).text).toHaveLength(300 * 1024);
    await cli.pool.query('DELETE FROM outbox WHERE id = $1', [id]);
    await page.close();
  });

  it('is read-only by default: an action is refused and nothing changes', async () => {
    const fingerprint = await firstFingerprint(served.base);
    const page = await context.newPage();
    const preview = await page.goto(`${served.base}actions/requeue?fingerprint=${fingerprint}`);
    expect(preview!.status()).toBe(403);
    expect(await page.locator('[data-outcome=refused]').textContent()).toContain('read-only');
    const post = await page.request.post(`${served.base}actions/requeue`, { form: { fingerprint } });
    expect(post.status()).toBe(403);
    expect(await deadIds()).toEqual([...ids.tooLarge, ...ids.invalid].sort());
    await page.close();
  });

  it('binds to loopback by default, and answers only to loopback host names', async () => {
    expect(served.p.logs.find((l) => l.msg === 'outbox console listening')).toMatchObject({ host: '127.0.0.1', writes: false });
    const port = new URL(served.base).port;
    // fetch() may not set Host: a plain request, as a page on a rebound DNS name would send it.
    const rebound = await new Promise<number>((resolve, reject) =>
      request(served.base, { headers: { host: `attacker.example:${port}` } }, (res) => resolve(res.resume().statusCode!)).on('error', reject).end(),
    );
    expect(rebound).toBe(421);
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) await expect(fetch(`http://${external.address}:${port}/`)).rejects.toThrow();
    // Exposing it (or enabling writes) without tokens is refused before anything starts.
    for (const env of [{ OUTBOX_CONSOLE_HOST: '0.0.0.0' }, { OUTBOX_CONSOLE_WRITES: 'true' }]) {
      const refused = await runCli(['console'], { DATABASE_URL: consoleDbUrl, OUTBOX_CONSOLE_PORT: '0', ...env });
      expect(refused.code).toBe(2);
      expect(refused.stderr.join('\n')).toMatch(/^outbox-relay: OUTBOX_CONSOLE_TOKENS \(--console-tokens\) is required/);
    }
  });

  it('never shows the database URL, its password or host', async () => {
    const page = await context.newPage();
    for (const path of ['messages?status=dead', `messages?subject=payment.*&since=1d`, 'messages?since=2026-02-30']) {
      await page.goto(`${served.base}${path}`);
      pages.push(await page.content());
    }
    expect(pages.join('\n')).toContain('not a real calendar date'); // the CLI's own rules, named per field
    const db = new URL(consoleDbUrl);
    for (const html of pages) {
      expect(html).not.toContain(SECRET_PASSWORD);
      expect(html).not.toContain(`${db.hostname}:${db.port}`);
      expect(html).not.toContain('console_reader');
    }
    await page.close();
  });
});

describe('the console with writes and a token', () => {
  let served: { p: CliProcess; base: string };
  let attacker: Server;
  beforeAll(async () => {
    served = await startConsole({ OUTBOX_CONSOLE_WRITES: 'true', OUTBOX_CONSOLE_TOKENS: `alice=${ALICE},bob=bob-token-0123456789abcdef`, OUTBOX_CONFIRM_ABOVE: '3' });
  });
  afterAll(async () => {
    await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
    if (served) await stop(served.p);
  });

  it('needs a sign-in for every page, and refuses a wrong token', async () => {
    const anonymous = await fetch(served.base, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${served.base}login`);
    await page.fill('#token', 'not-the-token-0123456789');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), page.click('button[type=submit]')]);
    expect(response.status()).toBe(401);
    const signedIn = await signIn(context, served.base);
    expect(await signedIn.locator('header .who').textContent()).toContain('alice');
    const cookie = (await context.cookies()).find((c) => c.name === 'outbox_console_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie.value).not.toContain(ALICE);
    await context.close();
  });

  it('refuses an action without a token: no session, no change', async () => {
    const fingerprint = await firstFingerprint(served.base, ALICE);
    const context = await browser.newContext();
    const page = await context.newPage();
    const post = await page.request.post(`${served.base}actions/requeue`, { form: { fingerprint }, maxRedirects: 0 });
    expect(post.status()).toBe(401);
    expect(await deadIds()).toEqual([...ids.tooLarge, ...ids.invalid].sort());
    await context.close();
  });

  it('refuses a form posted from another site, or without its CSRF token, even signed in', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, served.base);
    await page.goto(`${served.base}failures`);
    const fingerprint = (await page.locator('table[data-table=failures] tbody tr').nth(1).getAttribute('data-fingerprint'))!;
    // A page of another origin (another port of this host: same site, so the session cookie goes along) posts a form.
    attacker = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<form id="f" method="post" action="${served.base}actions/requeue"><input name="fingerprint" value="${fingerprint}"><input name="_csrf" value="guessed"></form>`,
      ),
    );
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const evil = await context.newPage();
    await evil.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    const [response] = await Promise.all([evil.waitForResponse((r) => r.url().endsWith('/actions/requeue')), evil.locator('#f').evaluate((f: HTMLFormElement) => f.submit())]);
    expect(response.status()).toBe(403);
    // From the console's own origin but without the form's token: refused too.
    const forged = await page.request.post(`${served.base}actions/requeue`, { form: { fingerprint }, headers: { origin: new URL(served.base).origin } });
    expect(forged.status()).toBe(403);
    expect(await deadIds()).toEqual([...ids.tooLarge, ...ids.invalid].sort());
    await context.close();
  });

  it('requeues exactly one failure group after a dry run, logs and counts it, and the relay publishes those messages to SNS/SQS', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, served.base);
    await page.goto(`${served.base}failures`);
    const group = page.locator('table[data-table=failures] tbody tr').first();
    expect(await group.locator('strong').textContent()).toBe('MessageTooLargeError');
    await Promise.all([page.waitForURL(/\/actions\/requeue\?fingerprint=/), group.locator('a[data-action=requeue]').click()]);
    expect(await page.locator('[data-outcome=preview]').getAttribute('data-matched')).toBe('5');
    expect(await deadIds()).toEqual([...ids.tooLarge, ...ids.invalid].sort()); // the dry run changed nothing
    await Promise.all([page.waitForSelector('[data-outcome=done]'), page.click('button[data-confirm=requeue]')]);
    expect(await page.locator('[data-outcome=done]').getAttribute('data-changed')).toBe('5');
    expect(await deadIds()).toEqual([...ids.invalid].sort());
    const { rows } = await cli.pool.query(`SELECT id::text, attempts FROM outbox WHERE id = ANY($1::uuid[]) AND dead_at IS NULL AND last_error IS NULL AND sent_at IS NULL`, [ids.tooLarge]);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids.tooLarge].sort());
    expect(rows.every((r) => r.attempts === 0)).toBe(true);
    const audit = await served.p.waitForLog((l) => l.msg === 'console action' && l.outcome === 'done');
    expect(audit).toMatchObject({ actor: 'alice', action: 'requeue', matched: 5, changed: 5, selection: { fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    expect(await (await fetch(`${served.base}metrics`)).text()).toMatch(/outbox_console_action_messages_total\{action="requeue"\} 5/);

    // A purge of the other group is more than OUTBOX_CONFIRM_ABOVE (3)? It is 3: no box to tick. Above it, the box is required.
    await page.goto(`${served.base}messages?status=dead&subject=order.*`);
    expect(await page.locator('table[data-table=messages] tbody tr').count()).toBe(3);

    // The relay publishes the requeued messages to the real endpoint (and the backlog), not the other group.
    const sns = new SNSClient(awsConfig());
    const sqs = new SQSClient(awsConfig());
    const topicArn = await createTopic(sns, 'console');
    const queueUrl = await createQueue(sqs, 'console');
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
    const relay = startCli(['run', '--poll-interval-ms', '200'], { DATABASE_URL: cli.db.url, OUTBOX_ROUTES: `*=${topicArn}`, AWS_ENDPOINT_URL: inject('awsEndpoint'), OUTBOX_HTTP_PORT: '0' });
    cli.running.push(relay);
    const received = (await receiveAll(sqs, queueUrl, ids.tooLarge.length + ids.backlog.length, 30_000)).map((m) => decodeSqsMessage(m).id);
    expect(received.filter((id) => ids.tooLarge.includes(id)).sort()).toEqual([...ids.tooLarge].sort());
    expect(received.some((id) => ids.invalid.includes(id))).toBe(false);
    await stop(relay);
    sns.destroy();
    sqs.destroy();
    await context.close();
  });
});

describe('the console beside the relay (OUTBOX_CONSOLE=true on run)', () => {
  it("shows the relay's blocked routes with their reason, and the backlog per route", async () => {
    const [id] = await insert(`INSERT INTO outbox (id, subject, payload) VALUES (gen_random_uuid(), 'invoice.issued', '{}') RETURNING id::text`);
    const missing = 'arn:aws:sns:us-east-1:000000000000:console-missing-topic';
    const relay = startCli(['run', '--poll-interval-ms', '200'], {
      DATABASE_URL: cli.db.url,
      OUTBOX_ROUTES: `invoice.*=${missing}`,
      AWS_ENDPOINT_URL: inject('awsEndpoint'),
      OUTBOX_HTTP_PORT: '0',
      OUTBOX_CONSOLE: 'true',
      OUTBOX_CONSOLE_PORT: '0',
    });
    cli.running.push(relay);
    const listening = await relay.waitForLog((l) => l.msg === 'outbox console listening');
    await relay.waitForLog((l) => l.msg === 'route blocked; its messages wait');
    const page = await (await browser.newContext()).newPage();
    await page.goto(`http://127.0.0.1:${listening.port}/`);
    // (Run alone, the backlog's order.shipped has no route either: it is blocked too, in its own row.)
    const blocked = page.locator('table[data-blocked] tbody tr', { hasText: missing });
    expect(await blocked.locator('td').first().textContent()).toBe(missing);
    expect(await blocked.locator('td').nth(1).textContent()).toMatch(/NotFound/);
    expect(await page.locator('table[data-table=route]').textContent()).toContain(missing);
    expect((await cli.pool.query(`SELECT sent_at, dead_at FROM outbox WHERE id = $1`, [id])).rows[0]).toEqual({ sent_at: null, dead_at: null });
    await page.context().close();
    await stop(relay);
  });
});

/** The fingerprint of the largest failure group, read from the failures page. */
async function firstFingerprint(base: string, token?: string): Promise<string> {
  const context = await browser.newContext();
  const page = token ? await signIn(context, base, token) : await context.newPage();
  await page.goto(`${base}failures`);
  const fingerprint = (await page.locator('table[data-table=failures] tbody tr').first().getAttribute('data-fingerprint'))!;
  await context.close();
  return fingerprint;
}
