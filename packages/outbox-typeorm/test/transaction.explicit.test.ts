// The explicit per-call form: the caller hands over the transaction it holds (EntityManager or
// QueryRunner), with no transaction library at all. typeorm-transactional is never initialized here.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransactionalInboxStore, TransactionalOutbox } from '../src/index.js';
import { effectCount, inboxRecords } from './fixtures/inboxTables.js';
import { openTestDataSource, type TestDataSource } from './fixtures/testDataSource.js';

let env: TestDataSource;
let pool: pg.Pool;
let dataSource: DataSource;
const outbox = new TransactionalOutbox();

class Rollback extends Error {}
const rows = async (subject: string) => (await pool.query('SELECT id FROM outbox WHERE subject = $1', [subject])).rowCount;

beforeAll(async () => {
  env = await openTestDataSource('seam_explicit', { inbox: true });
  ({ pool, dataSource } = env);
});
afterAll(async () => {
  await env?.close();
});

describe('sendEvent(event, { manager })', () => {
  it('commits and rolls back with dataSource.transaction', async () => {
    await dataSource.transaction((manager) => outbox.sendEvent({ subject: 'm.commit', body: {} }, { manager }));
    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.sendEvent({ subject: 'm.rollback', body: {} }, { manager });
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect([await rows('m.commit'), await rows('m.rollback')]).toEqual([1, 0]);
  });

  it('a QueryRunner the same way: commit ⇒ one row, rollback ⇒ none', async () => {
    for (const [subject, end] of [['qr.commit', 'commitTransaction'], ['qr.rollback', 'rollbackTransaction']] as const) {
      const queryRunner = dataSource.createQueryRunner();
      await queryRunner.startTransaction();
      await outbox.sendEvent({ subject, body: {} }, { queryRunner });
      await queryRunner[end]();
      await queryRunner.release();
    }
    expect([await rows('qr.commit'), await rows('qr.rollback')]).toEqual([1, 0]);
  });

  it('a manager or QueryRunner not in an active transaction is refused with InactiveTransactionError; nothing written', async () => {
    await expect(outbox.sendEvent({ subject: 'm.inactive', body: {} }, { manager: dataSource.manager })).rejects.toMatchObject({
      name: 'InactiveTransactionError',
    });
    const queryRunner = dataSource.createQueryRunner();
    await expect(outbox.sendEvent({ subject: 'm.inactive', body: {} }, { queryRunner, allowOutsideTransaction: true })).rejects.toMatchObject({
      name: 'InactiveTransactionError',
    });
    await queryRunner.release();
    expect(await rows('m.inactive')).toBe(0);
  });

  it('with no transaction library set up, allowOutsideTransaction is refused (it could be a phantom); nothing written', async () => {
    const err = await outbox.sendEvent({ subject: 'm.none', body: {} }, { allowOutsideTransaction: true }).catch((e) => e);
    expect(err).toMatchObject({ name: 'OutboxNotInTransactionError', message: expect.stringContaining('{ manager }') });
    expect(await rows('m.none')).toBe(0);
  });
});

describe('outbox with transactions: [] (no library: every call passes its transaction)', () => {
  const none = new TransactionalOutbox({ dataSource: undefined, transactions: [] });
  it('a call without one is told to pass { manager }, in those words; allowOutsideTransaction then commits its own', async () => {
    const err = await none.sendEvent({ subject: 'none.outside', body: {} }).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'OutboxNotInTransactionError' });
    expect(err.message).toMatch(/^outbox\.sendEvent\(\) was given no transaction, and this outbox asks no transaction library \(transactions: \[\]\): pass the transaction explicitly: .*\{ manager \}/);
    expect(await rows('none.outside')).toBe(0);
    await new TransactionalOutbox({ dataSource, transactions: [] }).sendEvent({ subject: 'none.own', body: {} }, { allowOutsideTransaction: true });
    expect(await rows('none.own')).toBe(1);
  });
});

describe('inbox with transactions: [] (no library)', () => {
  const inbox = () => new TransactionalInboxStore({ dataSource, transactions: [] });
  const write = (manager: { query(q: string, p: unknown[]): Promise<unknown> }, messageId: string) =>
    manager.query('INSERT INTO effects (consumer, message_id) VALUES ($1, $2)', ['billing', messageId]);

  it("the handler writes through the manager it is given: a throw leaves neither its row nor a record; a success commits both", async () => {
    const messageId = randomUUID();
    const failing = inbox().handleOnce({ consumer: 'billing', messageId }, async (manager) => {
      await write(manager, messageId);
      throw new Error('handler failed');
    });
    await expect(failing).rejects.toThrow('handler failed');
    expect([await effectCount(pool, messageId), await inboxRecords(pool, messageId)]).toEqual([0, []]);
    expect((await inbox().handleOnce({ consumer: 'billing', messageId }, (manager) => write(manager, messageId))).status).toBe('processed');
    expect((await inbox().handleOnce({ consumer: 'billing', messageId }, (manager) => write(manager, messageId))).status).toBe('duplicate');
    expect([await effectCount(pool, messageId), await inboxRecords(pool, messageId)]).toEqual([1, [{ consumer: 'billing', status: 'done' }]]);
  });

  it('with the default seam and typeorm-transactional not set up, the inbox refuses to guess (InvalidOptionError on transactions)', async () => {
    const messageId = randomUUID();
    await expect(new TransactionalInboxStore({ dataSource }).handleOnce({ consumer: 'billing', messageId }, () => undefined)).rejects.toMatchObject({
      name: 'InvalidOptionError',
      option: 'transactions',
    });
    expect(await effectCount(pool, messageId)).toBe(0);
  });
});
