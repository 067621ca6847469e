// A handler slower than both the SQS visibility timeout and the inbox lease, in two consumer processes
// competing for one queue, against the real PostgreSQL and SNS/SQS endpoint: each message runs once.
import { SQSClient } from '@aws-sdk/client-sqs';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { inboxTableDdl } from '@tx-outbox/outbox-typeorm/internal';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SqsTransport } from '../src/index.js';
import { awsConfig, createQueue, outboxMessage, queueDepth, waitFor } from './support/aws.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/slowConsumerProcess.mjs', import.meta.url));
const MESSAGES = 6;
// Visibility and lease of 3 s: the heartbeat and the renewal come every 1.5 s, which leaves a loaded
// machine 1.5 s of slack before SQS or the inbox would hand the message to the other process.
const VISIBILITY_S = 3;
const LEASE_MS = 3_000;
const HANDLER_MS = 10_000; // > 3 visibility timeouts, > 3 inbox leases

let db: TestDatabase;
let pool: pg.Pool;
let sqs: SQSClient;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'slow_handler');
  pool = new pg.Pool({ connectionString: db.url });
  for (const statement of inboxTableDdl()) await pool.query(statement);
  await pool.query('CREATE TABLE slow_effects (message_id text NOT NULL, pid int NOT NULL, receive_count int NOT NULL)');
  sqs = new SQSClient(awsConfig());
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await pool.query('TRUNCATE slow_effects, inbox');
});
afterAll(async () => {
  sqs.destroy();
  await pool.end();
  await db.drop();
});

interface Consumer {
  events: Array<Record<string, any>>;
  stop(): Promise<number | null>;
}

async function startConsumer(config: Record<string, unknown>): Promise<Consumer> {
  const child = spawn(process.execPath, [FIXTURE, JSON.stringify({ databaseUrl: db.url, endpoint: inject('awsEndpoint'), handlerMs: HANDLER_MS, leaseMs: LEASE_MS, ...config })], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  children.push(child);
  const events: Array<Record<string, any>> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => events.push(JSON.parse(line)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => events.some((e) => e.ev === 'ready'), 20_000);
  return {
    events,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function runScenario(config: { extendVisibility: boolean }) {
  // Visibility set on the queue (one consumer reads it with GetQueueAttributes) and as the option of the other.
  const queueUrl = await createQueue(sqs, 'slow', { visibilityTimeout: VISIBILITY_S });
  const consumers = [
    await startConsumer({ queueUrl, extendVisibility: config.extendVisibility }),
    await startConsumer({ queueUrl, extendVisibility: config.extendVisibility, visibilityTimeout: VISIBILITY_S }),
  ];
  const messages = Array.from({ length: MESSAGES }, (_, i) => outboxMessage({ subject: 'invoice.issue', body: { i } }));
  const published = await new SqsTransport({ client: sqs, routes: () => queueUrl }).publish(messages, { ordered: false });
  expect(published.every((r) => r.status === 'sent')).toBe(true);

  const done = async () => (await pool.query(`SELECT count(*)::int AS n FROM inbox WHERE status = 'done'`)).rows[0].n;
  await waitFor(async () => (await done()) === MESSAGES, 60_000);
  // Past the last handler, long enough for any redelivery to be received and tried (one visibility more).
  await waitFor(async () => (await queueDepth(sqs, queueUrl)) === 0, 20_000);
  await new Promise((resolve) => setTimeout(resolve, VISIBILITY_S * 1000 + 1_500));
  const codes = await Promise.all(consumers.map((c) => c.stop()));

  const { rows } = await pool.query<{ message_id: string; runs: number }>(
    'SELECT message_id, count(*)::int AS runs FROM slow_effects GROUP BY message_id ORDER BY message_id',
  );
  const errors = consumers.flatMap((c) => c.events.filter((e) => e.ev === 'error'));
  const deferred = consumers.flatMap((c) => c.events.filter((e) => e.ev === 'deferred'));
  return { codes, rows, errors, deferred, depth: await queueDepth(sqs, queueUrl), ids: messages.map((m) => m.id).sort() };
}

describe('SqsConsumer with a handler slower than the visibility timeout and the inbox lease', () => {
  it('runs each message exactly once across two consumer processes; the heartbeat keeps SQS from redelivering', { timeout: 120_000 }, async () => {
    const { codes, rows, errors, deferred, depth, ids } = await runScenario({ extendVisibility: true });
    expect(codes).toEqual([0, 0]);
    expect(rows).toEqual(ids.map((id) => ({ message_id: id, runs: 1 })));
    // No redelivery reached a handler: none put back as in progress, and no extension or renewal failed.
    expect(errors).toEqual([]);
    expect(deferred).toEqual([]);
    expect((await pool.query('SELECT max(receive_count)::int AS n FROM slow_effects')).rows[0].n).toBe(1);
    expect(depth).toBe(0);
  });

  it('without the visibility heartbeat, SQS redelivers but the renewed inbox lease still keeps it to one run', { timeout: 120_000 }, async () => {
    const { codes, rows, errors, deferred, depth, ids } = await runScenario({ extendVisibility: false });
    expect(codes).toEqual([0, 0]);
    expect(rows).toEqual(ids.map((id) => ({ message_id: id, runs: 1 })));
    // Redeliveries did happen, and each met the live lease of the instance still running the handler:
    // put back until that lease ends (at most the 3 s lease), and not reported as an error.
    expect(deferred.length).toBeGreaterThan(0);
    expect(deferred.every((e) => e.retryInSeconds >= 1 && e.retryInSeconds <= LEASE_MS / 1000)).toBe(true);
    expect(errors).toEqual([]);
    expect(depth).toBe(0);
  });
});
