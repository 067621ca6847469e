import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { OutboxAdmin } from '../src/admin/OutboxAdmin.js';
import { OutboxModule, OUTBOX_MODULE_OPTIONS } from '../src/nest/index.js';
import { TransactionalOutbox } from '../src/publisher/TransactionalOutbox.js';

// OutboxModule built by Nest itself (ConfigurableModuleBuilder). Decorators are applied as calls:
// the test transform does not compile decorator syntax. The wiring tests pass `transactions: []` (every
// call would pass its transaction): the startup checks of a transaction library are nestOutboxSetup's.
const CONFIG = 'CONFIG';
const fakeDataSource = () => Object.assign(Object.create(DataSource.prototype), { options: { type: 'postgres' }, driver: {}, transaction: () => undefined });

function module(metadata: Parameters<typeof Module>[0]) {
  const cls = class {};
  Module(metadata)(cls);
  return cls;
}
const globalValue = (token: unknown, value: unknown) => ({ module: module({ providers: [{ provide: token as string, useValue: value }], exports: [token as string] }), global: true });
const boot = (imports: unknown[]) => NestFactory.createApplicationContext(module({ imports: imports as never[] }), { logger: false, abortOnError: false });

describe('OutboxModule', () => {
  it('forRoot() provides TransactionalOutbox globally, with the DataSource under the @nestjs/typeorm token', async () => {
    const app = await boot([globalValue(DataSource, fakeDataSource()), OutboxModule.forRoot({ tableName: 'events', transactions: [] })]);
    expect(app.get(TransactionalOutbox, { strict: false })).toBeInstanceOf(TransactionalOutbox);
    expect(app.get(OUTBOX_MODULE_OPTIONS, { strict: false })).toEqual({ tableName: 'events', transactions: [] });
    expect(() => app.get(OutboxAdmin, { strict: false })).toThrow();
    await app.close();
  });

  it('forRootAsync() takes its options from an injected config, and provides OutboxAdmin when asked', async () => {
    const configModule = module({ providers: [{ provide: CONFIG, useValue: { table: 'events_from_config' } }], exports: [CONFIG] });
    const app = await boot([
      globalValue('MY_DS', fakeDataSource()),
      OutboxModule.forRootAsync({
        imports: [configModule],
        inject: [CONFIG],
        useFactory: (config: { table: string }) => ({ tableName: config.table, transactions: [] }),
        dataSourceToken: 'MY_DS',
        admin: true,
      }),
    ]);
    expect(app.get(OUTBOX_MODULE_OPTIONS, { strict: false })).toEqual({ tableName: 'events_from_config', transactions: [] });
    expect(app.get(TransactionalOutbox, { strict: false })).toBeInstanceOf(TransactionalOutbox);
    expect(app.get(OutboxAdmin, { strict: false })).toBeInstanceOf(OutboxAdmin);
    await app.close();
  });

  it('refuses bad outbox options when Nest builds the provider, with the named error', async () => {
    const failed = await boot([OutboxModule.forRoot({ tableName: 'bad name;' })]).catch((e: Error) => e);
    expect(failed).toMatchObject({ name: 'InvalidIdentifierError' });
    const notPostgres = await boot([globalValue(DataSource, { transaction: () => undefined, options: { type: 'mysql' } }), OutboxModule.forRoot()]).catch((e: Error) => e);
    expect(notPostgres).toMatchObject({ name: 'InvalidOptionError' });
  });
});
