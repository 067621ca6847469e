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
  await relay.start();
  // The relay claims once at start and finds nothing; from then on only a wake-up makes it claim
  // within this test. Wait until it LISTENs before committing anything.
  await waitFor(async () => (await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN%'")).rows[0].n > 0);
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
