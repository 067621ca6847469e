// Behind PgBouncer in transaction mode (the run's real PgBouncer 1.18): publishing with the default
// options never fails a business transaction, and a relay notices when its LISTEN goes through the
// pooler, and wakes on NOTIFY again once LISTEN has a connection of its own.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Relay } from '@tx-outbox/outbox-core';
import { TestTransport, waitFor } from '@tx-outbox/outbox-core/testing';
import { insertOutboxMessages, wakeRelays } from '../src/postgres/insertOutboxMessages.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { createOutboxTable } from './fixtures/outboxTable.js';
import { openTestDatabase, pooledUrl, type OpenedTestDatabase } from './fixtures/testDatabase.js';

let db: OpenedTestDatabase;
/** The test's own eyes: straight to PostgreSQL. */
let direct: pg.Pool;
/** Through PgBouncer in transaction mode. */
let pooled: pg.Pool;
let relay: Relay | undefined;

beforeAll(async () => {
  db = await openTestDatabase('pooler');
  direct = new pg.Pool({ connectionString: db.directUrl, max: 4 });
  pooled = new pg.Pool({ connectionString: pooledUrl(db.url), max: 6 });
  await createOutboxTable(direct);
  await direct.query('CREATE TABLE orders (id uuid PRIMARY KEY, n integer NOT NULL)');
});

afterEach(async () => {
  await relay?.stop();
  relay = undefined;
  await direct.query('TRUNCATE outbox, orders');
});

afterAll(async () => {
  await pooled?.end();
  await direct?.end();
  await db?.drop();
});

interface PublisherRun {
  committed: string[];
  rolledBack: string[];
  failed: number;
  errorCodes: Record<string, number>;
}

const publisherScript = fileURLToPath(new URL('./fixtures/publisherProcess.mjs', import.meta.url));

/** Runs one publisher process to completion through the pooler. */
async function runPublisher(options: { transactions: number; preparedStatements?: boolean }): Promise<PublisherRun> {
  const config = { databaseUrl: pooledUrl(db.url), rollbackEvery: 5, concurrency: 8, ...options };
  const { stdout } = await promisify(execFile)(process.execPath, [publisherScript, JSON.stringify(config)], { timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as PublisherRun;
}

it('two publisher processes, one after the other, 500 transactions each (20 % rolled back): none fails; each committed event is published once, no rolled-back one', async () => {
  const runs = [await runPublisher({ transactions: 500 }), await runPublisher({ transactions: 500 })];
  expect(runs.map((r) => ({ failed: r.failed, errorCodes: r.errorCodes }))).toEqual([
    { failed: 0, errorCodes: {} },
    { failed: 0, errorCodes: {} },
  ]);
  const committed = runs.flatMap((r) => r.committed);
  expect(committed).toHaveLength(800);
  expect(runs.flatMap((r) => r.rolledBack)).toHaveLength(200);

  // The relay claims and marks through the pooler too; LISTEN goes straight to PostgreSQL.
  const transport = new TestTransport();
  relay = new Relay({
    store: new PostgresOutboxStore({ pool: pooled, listenPool: direct }),
    transport,
    pollIntervalMs: 200,
    statsIntervalMs: 0,
  });
  await relay.start();
  await waitFor(async () => (await direct.query('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL')).rows[0].n === 0, {
    timeoutMs: 30_000,
    description: 'every committed message marked sent',
  });
  expect(transport.publishedIds.length).toBe(800); // once each
  expect(new Set(transport.publishedIds)).toEqual(new Set(committed));
  expect((await direct.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(800);
});

it('with preparedStatements: true the second process fails through the same pooler (what the default avoids)', async () => {
  const first = await runPublisher({ transactions: 100, preparedStatements: true });
  const second = await runPublisher({ transactions: 100, preparedStatements: true });
  expect(second.failed).toBeGreaterThan(0);
  // "prepared statement … already exists" / "… does not exist": the pooler moved the statement's connection.
  for (const run of [first, second]) expect(Object.keys(run.errorCodes).filter((code) => code !== '42P05' && code !== '26000')).toEqual([]);
  // Atomicity held: the outbox kept exactly the committed transactions' events.
  const kept = (await direct.query('SELECT id::text AS id FROM outbox')).rows.map((r) => r.id);
  expect(new Set(kept)).toEqual(new Set([...first.committed, ...second.committed]));
});

/** A relay on `store` with a TestTransport, recording its warnings and wake-up events. */
async function startRelay(store: PostgresOutboxStore, pollIntervalMs: number) {
  const transport = new TestTransport();
  const warnings: string[] = [];
  const events: string[] = [];
  relay = new Relay({
    store,
    transport,
    pollIntervalMs,
    statsIntervalMs: 0,
    logger: { debug() {}, info() {}, warn: (message) => void warnings.push(message), error() {} },
  });
  relay.on('relay:error', ({ stage }) => void events.push(`relay:error ${stage}`));
  relay.on('wakeup:lost', () => void events.push('wakeup:lost'));
  relay.on('wakeup:restored', () => void events.push('wakeup:restored'));
  const claims = { count: 0 };
  relay.on('batch:claimed', () => void (claims.count += 1));
  await relay.start();
  return { transport, warnings, events, claims };
}

/** Commits one message the way a pg user publishes: insertOutboxMessages (with its NOTIFY) in a transaction through the pooler. */
async function commitThroughPooler(subject: string): Promise<string> {
  const client = await pooled.connect();
  try {
    await client.query('BEGIN');
    const [id] = await insertOutboxMessages(client, [{ subject, body: { at: 'commit' } }]);
    await client.query('COMMIT');
    // The documented way for pg users: the wake-up after the COMMIT, through the pooler too.
    await wakeRelays(pooled);
    return id!;
  } finally {
    client.release();
  }
}

it('a relay whose LISTEN goes through the pooler warns once that wake-ups are lost, naming the cause and the fix, and keeps publishing on its poll', async () => {
  const { transport, warnings, events } = await startRelay(new PostgresOutboxStore({ pool: pooled }), 1_000);
  await waitFor(() => events.includes('wakeup:lost'), { timeoutMs: 15_000, description: 'wakeup:lost' });
  expect(events).toEqual(['relay:error wakeup', 'wakeup:lost']);
  const warning = warnings.filter((w) => w.includes('wake-ups lost'));
  expect(warning).toHaveLength(1);
  expect(warning[0]).toMatch(/NotificationsLostError: .*transaction mode.*OUTBOX_LISTEN_DATABASE_URL/);
  const id = await commitThroughPooler('pooler.polled');
  await waitFor(() => transport.publishedIds.includes(id), { timeoutMs: 15_000, description: 'published on the poll' });
  expect(events.filter((e) => e === 'wakeup:lost')).toHaveLength(1);
});

it('with LISTEN on a direct connection, a commit through the pooler wakes a relay whose poll is an hour long', async () => {
  const listenPool = new pg.Pool({ connectionString: db.directUrl, max: 1, application_name: 'pooler-test-listen' });
  try {
    const { transport, events, claims } = await startRelay(new PostgresOutboxStore({ pool: pooled, listenPool }), 3_600_000);
    // Once the claim at start has returned (empty), only a wake-up can make this relay claim again.
    await waitFor(() => claims.count >= 1, { description: 'first claim' });
    const id = await commitThroughPooler('pooler.woken');
    await waitFor(() => transport.publishedIds.includes(id), { timeoutMs: 15_000, description: 'published on NOTIFY' });
    expect(transport.published.map((m) => m.subject)).toEqual(['pooler.woken']);
    expect(events).toEqual([]);
  } finally {
    await relay?.stop();
    await listenPool.end();
  }
});
