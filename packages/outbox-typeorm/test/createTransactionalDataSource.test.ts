// createTransactionalDataSource as @nestjs/typeorm uses it: called again at every connection retry. A
// failed attempt's registration must not turn the next attempt into "already added".
import { DataSource } from 'typeorm';
import { addTransactionalDataSource, deleteDataSourceByName, getDataSourceByName, initializeTransactionalContext, runInTransaction, StorageDriver } from 'typeorm-transactional';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@tx-outbox/devkit';
import { createTransactionalDataSource, TransactionalOutbox } from '../src/index.js';
import { openTestDataSource, type TestDataSource } from './fixtures/testDataSource.js';

let env: TestDataSource;
const opened: DataSource[] = [];

beforeAll(async () => {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  env = await openTestDataSource('create_tx_ds');
});
afterAll(async () => {
  await Promise.all(opened.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()));
  await env?.close();
});

describe('createTransactionalDataSource', () => {
  it('after an attempt that could not connect, the next one registers and works; plain addTransactionalDataSource would say "already added"', async () => {
    const down = `postgres://postgres:postgres@127.0.0.1:${await freePort()}/postgres`;
    const first = await createTransactionalDataSource({ type: 'postgres', url: down });
    const failure = await first.initialize().then(() => undefined, (e: Error) => e);
    expect(failure?.message).toMatch(/ECONNREFUSED/);
    // What the README's wiring did before: the retry fails on the registration, not on the database.
    expect(() => addTransactionalDataSource(new DataSource({ type: 'postgres', url: down }))).toThrow('DataSource with name "default" has already added.');

    const url = (env.dataSource.options as { url: string }).url;
    const second = await createTransactionalDataSource({ type: 'postgres', url });
    opened.push(await second.initialize());
    expect(getDataSourceByName('default')).toBe(second);
    await runInTransaction(() => new TransactionalOutbox().sendEvent({ subject: 'retry.ok', body: {} }));
    expect((await env.pool.query("SELECT count(*)::int AS n FROM outbox WHERE subject = 'retry.ok'")).rows[0].n).toBe(1);
  });

  it('keeps a registered DataSource that is initialized: a second app under one name fails loudly, not silently sharing transactions', async () => {
    const url = (env.dataSource.options as { url: string }).url;
    await expect(createTransactionalDataSource({ type: 'postgres', url })).rejects.toThrow('DataSource with name "default" has already added.');
  });

  it('registers under connectionName', async () => {
    const url = (env.dataSource.options as { url: string }).url;
    const orders = await createTransactionalDataSource({ type: 'postgres', url }, { connectionName: 'orders' });
    expect(getDataSourceByName('orders')).toBe(orders);
    deleteDataSourceByName('orders');
  });
});
