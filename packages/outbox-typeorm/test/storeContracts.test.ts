// The ports' contract suites (from @tx-outbox/outbox-core/testing) against the PostgreSQL stores, on
// one database of the test server: the same tests the in-memory stores pass in outbox-core.
import { describeInboxStoreContract, describeOutboxStoreContract } from '@tx-outbox/outbox-core/testing';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PostgresInboxStore } from '../src/postgres/inboxStore/PostgresInboxStore.js';
import { insertOutboxMessages } from '../src/postgres/insertOutboxMessages.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { TransactionalInboxStore } from '../src/typeorm/TransactionalInboxStore.js';
import { openTestDataSource, type TestDataSource } from './fixtures/testDataSource.js';

let env: TestDataSource;
let pool: pg.Pool;
let dataSource: DataSource;

beforeAll(async () => {
  env = await openTestDataSource('store_contracts', { inbox: true, poolMax: 8 });
  ({ pool, dataSource } = env);
});
afterAll(async () => {
  await env?.close();
});

const api = { describe, it };

describeOutboxStoreContract(
  'PostgresOutboxStore',
  async () => {
    await pool.query('TRUNCATE outbox');
    return { store: new PostgresOutboxStore({ pool }), insert: (messages) => insertOutboxMessages(pool, messages) };
  },
  api,
);

describeInboxStoreContract('PostgresInboxStore', async () => ({ store: new PostgresInboxStore({ pool }) }), api);

// No transaction library: the store opens dataSource.transaction() around the handler.
describeInboxStoreContract('TransactionalInboxStore', async () => ({ store: new TransactionalInboxStore({ dataSource, transactions: [] }) }), api);
