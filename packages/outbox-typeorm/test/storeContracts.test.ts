// The ports' contract suites (from @tx-outbox/outbox-core/testing) against the PostgreSQL stores, on
// one database of the test server: the same tests the in-memory stores pass in outbox-core.
import { describeInboxStoreContract, describeOutboxStoreContract } from '@tx-outbox/outbox-core/testing';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { PostgresInboxStore } from '../src/postgres/inboxStore/PostgresInboxStore.js';
import { insertOutboxMessages } from '../src/postgres/insertOutboxMessages.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { TransactionalInboxStore } from '../src/typeorm/TransactionalInboxStore.js';
import { createDedupTables } from './fixtures/dedupTables.js';
import { createOutboxTable } from './fixtures/outboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'store_contracts');
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  await createOutboxTable(pool);
  await createDedupTables(pool);
  dataSource = new DataSource({ type: 'postgres', url: db.url });
  await dataSource.initialize();
});
afterAll(async () => {
  await dataSource?.destroy();
  await pool?.end();
  await db?.drop();
});

const api = { describe, it };

describeOutboxStoreContract(
  'PostgresOutboxStore',
  async () => {
    await pool.query('TRUNCATE outbox');
    return { store: new PostgresOutboxStore({ pool }), insert: (messages) => insertOutboxMessages(pool, messages, { notify: false }) };
  },
  api,
);

describeInboxStoreContract('PostgresInboxStore', async () => ({ store: new PostgresInboxStore({ pool }) }), api);

// No transaction library: the store opens dataSource.transaction() around the handler.
describeInboxStoreContract('TransactionalInboxStore', async () => ({ store: new TransactionalInboxStore({ dataSource, transactions: [] }) }), api);
