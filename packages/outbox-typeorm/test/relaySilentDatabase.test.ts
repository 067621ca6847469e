// A database connection that goes silent (sockets open, no bytes: a network partition) behind a real
// TCP proxy: the relay reports it within storeTimeoutMs, stop() returns, and after the partition ends the
// messages committed meanwhile are published. start() against a silent database returns too: its LISTEN
// has the same deadline, is retried, and holds once the partition ends.
import { Relay, type RelayEvents } from '@tx-outbox/outbox-core';
import { TestTransport, waitFor } from '@tx-outbox/outbox-core/testing';
import { createTestDatabase, startSilentProxy, testPool, type SilentProxy, type TestDatabase } from '@tx-outbox/devkit';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { insertOutboxMessages, PostgresOutboxStore, wakeRelays } from '../src/postgres/index.js';
import { outboxTableDdl } from '../src/internal.js';

let db: TestDatabase;
let direct: pg.Pool;
let proxy: SilentProxy;
let throughProxy: pg.Pool | undefined;
let relay: Relay | undefined;

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'relay_silent');
  direct = testPool(db.url, { max: 2 });
  for (const statement of outboxTableDdl()) await direct.query(statement);
  const url = new URL(db.url);
  proxy = await startSilentProxy({ host: url.hostname, port: Number(url.port) });
});
afterEach(async () => {
  await relay?.stop();
  proxy.resume(); // cuts the connections that heard the silence, so the pool's end() does not wait on them
  await throughProxy?.end();
  throughProxy = undefined;
});
afterAll(async () => {
  await proxy?.close();
  await direct?.end();
  await db?.drop();
});

function poolThroughProxy(): pg.Pool {
  const url = new URL(db.url);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  throughProxy = testPool(url.toString(), { max: 4 });
  return throughProxy;
}

function startRelay(transport: TestTransport, errors: RelayEvents['relay:error'][], pollIntervalMs = 100): Promise<void> {
  relay = new Relay({ store: new PostgresOutboxStore({ pool: throughProxy ?? poolThroughProxy() }), transport, pollIntervalMs, statsIntervalMs: 0, storeTimeoutMs: 500 });
  relay.on('relay:error', (e) => void errors.push(e));
  return relay.start();
}

/** The test's own bounded wait on a promise that must settle: 'settled', or 'still waiting' after 10 s. */
const within10s = (work: Promise<unknown>) =>
  Promise.race([work.then(() => 'settled'), new Promise((r) => setTimeout(() => r('still waiting'), 10_000).unref())]);

async function publish(subject: string, n: number): Promise<string[]> {
  const client = await direct.connect();
  try {
    const ids = await insertOutboxMessages(client, Array.from({ length: n }, (_, i) => ({ subject, body: { i } })));
    await wakeRelays(direct);
    return ids;
  } finally {
    client.release();
  }
}

const timedOut = (errors: RelayEvents['relay:error'][]) => errors.some((e) => (e.error as Error | undefined)?.name === 'StoreTimeoutError');

it('reports a silent database as StoreTimeoutError, and stop() returns while the connection stays silent', async () => {
  const transport = new TestTransport();
  const errors: RelayEvents['relay:error'][] = [];
  await startRelay(transport, errors);
  const before = await publish('silent.before', 3);
  await waitFor(() => before.every((id) => transport.publishedIds.includes(id)), { description: 'published before the silence' });

  proxy.silence();
  await waitFor(() => timedOut(errors), { description: 'relay:error with StoreTimeoutError' });
  expect(errors.find((e) => (e.error as Error).name === 'StoreTimeoutError')!.stage).toMatch(/claim|mark|stats/);

  // The test's own bounded wait: stop() must return although the proxy still drops every byte.
  expect(await within10s(relay!.stop())).toBe('settled');
  expect(relay!.running).toBe(false);
}, 45_000);

it('publishes the messages committed during the silence once the partition ends', async () => {
  const transport = new TestTransport();
  const errors: RelayEvents['relay:error'][] = [];
  await startRelay(transport, errors);
  proxy.silence();
  await waitFor(() => timedOut(errors), { description: 'relay:error with StoreTimeoutError' });
  const meanwhile = await publish('silent.meanwhile', 5);
  expect(transport.publishedIds.filter((id) => meanwhile.includes(id))).toEqual([]);

  proxy.resume();
  await waitFor(() => meanwhile.every((id) => transport.publishedIds.includes(id)), { timeoutMs: 20_000, description: 'published after the partition' });
  await waitFor(async () => (await direct.query('SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1) AND sent_at IS NOT NULL', [meanwhile])).rows[0].n === 5, {
    description: 'marked sent after the partition',
  });
  expect((await direct.query('SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1) AND dead_at IS NOT NULL', [meanwhile])).rows[0].n).toBe(0);
}, 45_000);

it('start() against a silent database returns, reports the LISTEN deadline, and listens once the partition ends', async () => {
  const transport = new TestTransport();
  const errors: RelayEvents['relay:error'][] = [];
  // A warm pool: LISTEN gets an open connection that has gone silent (not a connect that never completes).
  await poolThroughProxy().query('SELECT 1');
  proxy.silence();
  // A poll of an hour: once the claim loop has caught up, only a wake-up (a working LISTEN) publishes.
  expect(await within10s(startRelay(transport, errors, 3_600_000))).toBe('settled');
  expect(relay!.running).toBe(true);
  await waitFor(() => errors.some((e) => e.stage === 'subscribe' && (e.error as Error).name === 'StoreTimeoutError'), {
    description: 'relay:error subscribe with StoreTimeoutError',
  });

  proxy.resume();
  await waitFor(
    async () => (await direct.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`)).rows[0].n > 0,
    { timeoutMs: 30_000, description: 'LISTEN retried and holding after the partition' },
  );
  const [id] = await publish('silent.listen', 1);
  await waitFor(() => transport.publishedIds.includes(id!), { timeoutMs: 10_000, description: 'published on the NOTIFY' });
}, 60_000);

it('PostgresOutboxStore.subscribe fails a LISTEN that misses its deadline and drops that connection from the pool', async () => {
  const pool = poolThroughProxy();
  await pool.query('SELECT 1'); // one idle connection, which LISTEN will get
  expect(pool.totalCount).toBe(1);
  proxy.silence();
  const store = new PostgresOutboxStore({ pool, notifyCheckIntervalMs: 0 });
  const subscribing = store.subscribe(() => {}, { lost: () => {}, restored: () => {}, timeoutMs: 300 });
  subscribing.catch(() => {});
  expect(await within10s(subscribing.catch(() => {}))).toBe('settled');
  await expect(subscribing).rejects.toMatchObject({ name: 'StoreTimeoutError' });
  // Destroyed, not kept checked out on a connection that will never answer.
  expect(pool.totalCount).toBe(0);
}, 30_000);
