// The relay publishes a committed message on the publisher's NOTIFY, not on its (here 1 hour) poll.
import { Relay } from '@tx-outbox/outbox-core';
import { TestTransport, waitFor } from '@tx-outbox/outbox-core/testing';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { addTransactionalDataSource, initializeTransactionalContext, runInTransaction, StorageDriver } from 'typeorm-transactional';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { TransactionalOutbox } from '../src/publisher/TransactionalOutbox.js';
import { CreateOutboxTable1700000000000 } from '../src/typeorm/CreateOutboxTable1700000000000.js';

let db: TestDatabase;
let dataSource: DataSource;
let pool: pg.Pool;
let relay: Relay | undefined;

beforeAll(async () => {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  db = await createTestDatabase(inject('databaseUrl'), 'relay_wakeup');
  dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: [CreateOutboxTable1700000000000] });
  await dataSource.initialize();
  await dataSource.runMigrations();
  addTransactionalDataSource(dataSource);
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
});

afterAll(async () => {
  await relay?.stop();
  await pool?.end();
  await dataSource?.destroy();
  await db?.drop();
});

it('publishes a committed message on NOTIFY with an hour-long poll interval, and never a rolled-back one', async () => {
  const transport = new TestTransport();
  relay = new Relay({ store: new PostgresOutboxStore({ pool }), transport, pollIntervalMs: 3_600_000, statsIntervalMs: 0 });
  let claims = 0;
  relay.on('batch:claimed', () => void (claims += 1));
  await relay.start();
  // The relay claims once at start and finds nothing; from then on only a wake-up makes it claim
  // within this test. start() resolves once it LISTENs; wait until that first claim has returned too
  // (else it could find the message below, and the test would pass without a NOTIFY).
  await waitFor(() => claims >= 1);
  expect(transport.calls).toHaveLength(0);

  const outbox = new TransactionalOutbox();
  await expect(
    runInTransaction(async () => {
      await outbox.sendEvent({ subject: 'wake.rolled-back', body: { n: 0 } });
      throw new Error('rolled back');
    }),
  ).rejects.toThrow('rolled back');
  const id = await runInTransaction(() => outbox.sendEvent({ subject: 'wake.committed', body: { n: 1 } }));

  await waitFor(() => transport.publishedIds.includes(id), { timeoutMs: 10_000, description: 'published on NOTIFY' });
  expect(transport.published.map((m) => m.subject)).toEqual(['wake.committed']);
  await waitFor(async () => (await pool.query('SELECT sent_at FROM outbox WHERE id = $1', [id])).rows[0].sent_at !== null);
});

it('reports a lost LISTEN connection as relay:error (stage subscribe) and hears NOTIFY again after the store reconnects', async () => {
  await relay?.stop();
  const transport = new TestTransport();
  const errors: { stage: string; error: unknown }[] = [];
  const listenWarnings: Error[] = [];
  relay = new Relay({
    store: new PostgresOutboxStore({ pool, onListenError: (e) => listenWarnings.push(e) }),
    transport,
    pollIntervalMs: 3_600_000,
    statsIntervalMs: 0,
  });
  relay.on('relay:error', (e) => void errors.push(e));
  await relay.start();
  const listeners = async () => (await pool.query("SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN%'")).rows as { pid: number }[];
  await waitFor(async () => (await listeners()).length === 1);
  const [listener] = await listeners();
  await pool.query('SELECT pg_terminate_backend($1)', [listener!.pid]);

  await waitFor(() => errors.some((e) => e.stage === 'subscribe'), { description: 'relay:error for the lost LISTEN connection' });
  expect(String((errors.find((e) => e.stage === 'subscribe')!.error as Error).message)).toContain('lost');
  // The relay heard it; the store's own fallback was not needed.
  expect(listenWarnings).toEqual([]);
  await waitFor(async () => (await listeners()).some((l) => l.pid !== listener!.pid), { description: 'LISTEN again' });
  const id = await runInTransaction(() => new TransactionalOutbox().sendEvent({ subject: 'wake.after-reconnect', body: {} }));
  await waitFor(() => transport.publishedIds.includes(id), { timeoutMs: 10_000, description: 'published on NOTIFY after reconnect' });
});
