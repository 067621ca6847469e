// The @nestjs-cls/transactional seam (TypeORM adapter), in a real Nest application context: the
// publisher and the inbox join the cls transaction, whichever way it ends. typeorm-transactional is
// never initialized in this file, so it cannot be what makes these pass.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClsPluginTransactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransactionalInboxStore, TransactionalOutbox, clsTransactionSeam } from '../src/index.js';
import { OutboxModule } from '../src/nest/index.js';
import { effectCount, inboxRecords } from './fixtures/inboxTables.js';
import { openTestDataSource, type TestDataSource } from './fixtures/testDataSource.js';

let env: TestDataSource;
let pool: pg.Pool;
let dataSource: DataSource;
let app: INestApplicationContext;
let txHost: TransactionHost<TransactionalAdapterTypeOrm>;
let outbox: TransactionalOutbox;
let nestOutbox: TransactionalOutbox;
let inbox: TransactionalInboxStore;

class Rollback extends Error {}
const rows = async (subject: string) => (await pool.query('SELECT id FROM outbox WHERE subject = $1', [subject])).rowCount;
const rolledBack = (work: () => Promise<unknown>) =>
  expect(txHost.withTransaction(async () => { await work(); throw new Rollback(); })).rejects.toBeInstanceOf(Rollback);

beforeAll(async () => {
  env = await openTestDataSource('seam_cls', { inbox: true });
  ({ pool, dataSource } = env);

  // Decorators applied as calls: the test transform does not compile decorator syntax.
  class DatabaseModule {}
  Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })(DatabaseModule);
  class AppModule {}
  Module({
    imports: [
      OutboxModule.forRoot({ clsTransactionHost: TransactionHost }),
      ClsModule.forRoot({
        global: true,
        plugins: [new ClsPluginTransactional({ imports: [DatabaseModule], adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }) })],
      }),
    ],
  })(AppModule);
  app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  txHost = app.get(TransactionHost);
  outbox = new TransactionalOutbox({ transactions: clsTransactionSeam(txHost) });
  nestOutbox = app.get(TransactionalOutbox);
  inbox = new TransactionalInboxStore({ transactions: clsTransactionSeam(txHost) });
});
afterAll(async () => {
  await app?.close();
  await env?.close();
});

describe('publisher on @nestjs-cls/transactional', () => {
  it('commit ⇒ one outbox row; rollback ⇒ none', async () => {
    await txHost.withTransaction(() => outbox.sendEvent({ subject: 'cls.commit', body: {} }));
    await rolledBack(() => outbox.sendEvent({ subject: 'cls.rollback', body: {} }));
    expect([await rows('cls.commit'), await rows('cls.rollback')]).toEqual([1, 0]);
  });

  it('the event commits and rolls back with a business write made through txHost.tx', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS payment (id uuid PRIMARY KEY)');
    const id = randomUUID();
    await rolledBack(async () => {
      await txHost.tx.query('INSERT INTO payment (id) VALUES ($1)', [id]);
      await outbox.sendEvent({ subject: `cls.pay.${id}`, body: {} });
    });
    expect([(await pool.query('SELECT 1 FROM payment WHERE id = $1', [id])).rowCount, await rows(`cls.pay.${id}`)]).toEqual([0, 0]);
  });

  it('allowOutsideTransaction inside a cls transaction joins it: no phantom after a rollback', async () => {
    await rolledBack(() => outbox.sendEvent({ subject: 'cls.phantom', body: {} }, { allowOutsideTransaction: true }));
    expect(await rows('cls.phantom')).toBe(0);
  });

  it('outside any transaction: OutboxNotInTransactionError, nothing written; allowOutsideTransaction commits its own', async () => {
    const error = await outbox.sendEvent({ subject: 'cls.outside', body: {} }).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'OutboxNotInTransactionError' });
    // The hint is the configured library's: no word of typeorm-transactional.
    expect(error.message).toContain('a method decorated with @Transactional() from @nestjs-cls/transactional (or txHost.withTransaction())');
    expect(error.message).not.toContain('typeorm-transactional');
    expect(await rows('cls.outside')).toBe(0);
    await outbox.sendEvent({ subject: 'cls.own', body: {} }, { allowOutsideTransaction: true });
    expect(await rows('cls.own')).toBe(1);
  });
});

describe('OutboxModule.forRoot({ clsTransactionHost: TransactionHost })', () => {
  it('provides an outbox that joins cls transactions: commit ⇒ one row, rollback ⇒ none (also with allowOutsideTransaction)', async () => {
    await txHost.withTransaction(() => nestOutbox.sendEvent({ subject: 'nest.commit', body: {} }));
    await rolledBack(() => nestOutbox.sendEvent({ subject: 'nest.rollback', body: {} }, { allowOutsideTransaction: true }));
    expect([await rows('nest.commit'), await rows('nest.rollback')]).toEqual([1, 0]);
  });
});

describe('inbox on @nestjs-cls/transactional', () => {
  const write = (messageId: string) => txHost.tx.query('INSERT INTO effects (consumer, message_id) VALUES ($1, $2)', ['billing', messageId]);

  it('a handler that writes then throws leaves neither its row nor a record; the redelivery writes it once', async () => {
    const messageId = randomUUID();
    let calls = 0;
    const handler = async () => {
      await write(messageId);
      if (++calls === 1) throw new Error('failed after writing');
    };
    await expect(inbox.handleOnce({ consumer: 'billing', messageId }, handler)).rejects.toThrow('failed after writing');
    expect([await effectCount(pool, messageId), await inboxRecords(pool, messageId)]).toEqual([0, []]);
    expect((await inbox.handleOnce({ consumer: 'billing', messageId }, handler)).status).toBe('processed');
    expect((await inbox.handleOnce({ consumer: 'billing', messageId }, handler)).status).toBe('duplicate');
    expect([await effectCount(pool, messageId), await inboxRecords(pool, messageId)]).toEqual([1, [{ consumer: 'billing', status: 'done' }]]);
  });

  it("joins the caller's cls transaction: its rollback takes the done record with it", async () => {
    const messageId = randomUUID();
    await rolledBack(() => inbox.handleOnce({ consumer: 'billing', messageId, leaseMs: 1 }, () => write(messageId)));
    expect(await effectCount(pool, messageId)).toBe(0);
    expect((await inboxRecords(pool, messageId)).filter((r) => r.status === 'done')).toEqual([]);
    // No rollback hook in cls: the lease (1 ms) expires and the redelivery runs the handler.
    expect((await inbox.handleOnce({ consumer: 'billing', messageId }, () => write(messageId))).status).toBe('processed');
    expect(await effectCount(pool, messageId)).toBe(1);
  });
});
