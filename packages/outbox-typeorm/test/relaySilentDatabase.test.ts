// A database connection that goes silent (sockets open, no bytes: a network partition) behind a real
// TCP proxy: the relay reports it within storeTimeoutMs, stop() returns, and after the partition ends the
// messages committed meanwhile are published.
import { Relay, type RelayEvents } from '@tx-outbox/outbox-core';
import { TestTransport, waitFor } from '@tx-outbox/outbox-core/testing';
import { createTestDatabase, startSilentProxy, testPool, type SilentProxy, type TestDatabase } from '@tx-outbox/devkit';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { insertOutboxMessages, outboxTableDdl, PostgresOutboxStore } from '../src/postgres/index.js';

let db: TestDatabase;
let direct: pg.Pool;
let proxy: SilentProxy;
let throughProxy: pg.Pool;
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
});
afterAll(async () => {
  await proxy?.close();
  await direct?.end();
  await db?.drop();
});

function startRelay(transport: TestTransport, errors: RelayEvents['relay:error'][]): Promise<void> {
  const url = new URL(db.url);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  throughProxy = testPool(url.toString(), { max: 4 });
  relay = new Relay({ store: new PostgresOutboxStore({ pool: throughProxy }), transport, pollIntervalMs: 100, statsIntervalMs: 0, storeTimeoutMs: 500 });
  relay.on('relay:error', (e) => void errors.push(e));
  return relay.start();
}

async function publish(subject: string, n: number): Promise<string[]> {
  const client = await direct.connect();
  try {
    return await insertOutboxMessages(client, Array.from({ length: n }, (_, i) => ({ subject, body: { i } })));
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
  const stopped = await Promise.race([relay!.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still waiting'), 10_000))]);
  expect(stopped).toBe('stopped');
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
