// OutboxModule's startup checks: a transaction library that is not wired the way the outbox looks for it,
// and a missing outbox table, fail NestFactory.create with a named error whose message names the fix,
// instead of the first request. typeorm-transactional's setup is process-wide, so the tests run in order:
// first without initializeTransactionalContext, then with it but nothing registered, then registered.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClsPluginTransactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { addTransactionalDataSource, deleteDataSourceByName, initializeTransactionalContext, StorageDriver } from 'typeorm-transactional';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { OutboxModule } from '../src/nest/index.js';
import { TransactionalOutbox } from '../src/index.js';
import { openTestDataSource, type TestDataSource } from './fixtures/testDataSource.js';

let env: TestDataSource;
let empty: TestDatabase;
let emptyDataSource: DataSource;

// Decorators applied as calls: the test transform does not compile decorator syntax.
function module(metadata: Parameters<typeof Module>[0]) {
  const cls = class {};
  Module(metadata)(cls);
  return cls;
}
const database = (dataSource: DataSource) => module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] });
/** The DataSource under @nestjs/typeorm's token, for every module (as TypeOrmModule provides it). */
const globalDataSource = (dataSource: DataSource) => ({ module: database(dataSource), global: true });
const clsModule = (dataSource: DataSource) =>
  ClsModule.forRoot({
    global: true,
    plugins: [new ClsPluginTransactional({ imports: [database(dataSource)], adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }) })],
  });
const boot = (imports: unknown[]) => NestFactory.createApplicationContext(module({ imports: imports as never[] }), { logger: false, abortOnError: false });
const bootError = (imports: unknown[]) => boot(imports).then((app) => app.close().then(() => undefined), (error: unknown) => error as Error);

beforeAll(async () => {
  env = await openTestDataSource('nest_setup');
  empty = await createTestDatabase(inject('databaseUrl'), 'nest_setup_empty');
  emptyDataSource = await new DataSource({ type: 'postgres', url: empty.url }).initialize();
});
afterAll(async () => {
  await emptyDataSource?.destroy();
  await empty?.drop();
  await env?.close();
});

describe('OutboxModule at startup', () => {
  it('typeorm-transactional not initialized: names initializeTransactionalContext()', async () => {
    const error = await bootError([globalDataSource(env.dataSource), OutboxModule.forRoot()]);
    expect(error).toMatchObject({ name: 'TransactionSetupError', library: 'typeorm-transactional' });
    expect(error!.message).toMatch(/typeorm-transactional, which is not initialized: call initializeTransactionalContext\(\) before NestFactory\.create\(\)/);
  });

  it('initialized, no DataSource registered under the name: names createTransactionalDataSource and connectionName', async () => {
    initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
    const error = await bootError([globalDataSource(env.dataSource), OutboxModule.forRoot({ connectionName: 'orders' })]);
    expect(error).toMatchObject({ name: 'TransactionSetupError', library: 'typeorm-transactional' });
    expect(error!.message).toMatch(/knows no DataSource named "orders": register the DataSource: .*dataSourceFactory: createTransactionalDataSource/);
  });

  it('the app runs @nestjs-cls/transactional but OutboxModule was not given it: names clsTransactionHost', async () => {
    const error = await bootError([clsModule(env.dataSource), OutboxModule.forRoot()]);
    expect(error).toMatchObject({ name: 'TransactionSetupError', library: '@nestjs-cls/transactional' });
    expect(error!.message).toMatch(/This app runs @nestjs-cls\/transactional .* pass OutboxModule\.forRoot\(\{ clsTransactionHost: TransactionHost \}\)/);
  });

  it('clsTransactionHost given, but nothing provides it: names the plugin to register', async () => {
    const error = await bootError([OutboxModule.forRoot({ clsTransactionHost: TransactionHost })]);
    expect(error).toMatchObject({ name: 'TransactionSetupError', library: '@nestjs-cls/transactional' });
    expect(error!.message).toMatch(/nothing in the app provides it\. Register the plugin: ClsModule\.forRoot\(\{ global: true, plugins: \[new ClsPluginTransactional/);
  });

  it('@nestjs-cls/transactional wired and given: the app starts (typeorm-transactional has no DataSource here)', async () => {
    const app = await boot([clsModule(env.dataSource), OutboxModule.forRoot({ clsTransactionHost: TransactionHost })]);
    expect(app.get(TransactionalOutbox, { strict: false })).toBeInstanceOf(TransactionalOutbox);
    await app.close();
  });

  it('a missing outbox table fails the start, naming outbox-relay migrate and the migration (cls and typeorm-transactional alike)', async () => {
    const cls = await bootError([clsModule(emptyDataSource), OutboxModule.forRoot({ clsTransactionHost: TransactionHost })]);
    addTransactionalDataSource(emptyDataSource);
    const typeormTransactional = await bootError([globalDataSource(emptyDataSource), OutboxModule.forRoot()]).finally(() => deleteDataSourceByName('default'));
    for (const error of [cls, typeormTransactional]) {
      expect(error).toMatchObject({ name: 'OutboxTableError', problem: 'missing' });
      expect(error!.message).toMatch(/it does not exist\. Create it: run `outbox-relay migrate`, add createOutboxMigration\(\) to your TypeORM migrations/);
    }
  });

  it('typeorm-transactional registered and the table there: the app starts', async () => {
    addTransactionalDataSource(env.dataSource);
    try {
      const app = await boot([globalDataSource(env.dataSource), OutboxModule.forRoot()]);
      expect(app.get(TransactionalOutbox, { strict: false })).toBeInstanceOf(TransactionalOutbox);
      await app.close();
    } finally {
      deleteDataSourceByName('default');
    }
  });
});
