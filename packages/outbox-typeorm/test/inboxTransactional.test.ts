import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { addTransactionalDataSource, getDataSourceByName, initializeTransactionalContext, runInTransaction } from 'typeorm-transactional';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tx-outbox/outbox-core/testing';
import type { TestDatabase } from '@tx-outbox/devkit';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { TransactionalInboxStore } from '../src/typeorm/TransactionalInboxStore.js';
import { createInboxTables, effectCount, inboxRecords, leaseTakenNowRunsOut } from './fixtures/inboxTables.js';

let db: TestDatabase;
let pool: pg.Pool;
let dataSource: DataSource;
let store: TransactionalInboxStore;

beforeAll(async () => {
  db = await openTestDatabase('inbox_tx');
  pool = new pg.Pool({ connectionString: db.url });
  await createInboxTables(pool);
  initializeTransactionalContext();
  dataSource = new DataSource({ type: 'postgres', url: db.url });
  await dataSource.initialize();
  if (!getDataSourceByName('default')) addTransactionalDataSource(dataSource);
  store = new TransactionalInboxStore({ dataSource });
});
afterAll(async () => {
  await dataSource?.destroy();
  await pool?.end();
  await db?.drop();
});

// Through the patched DataSource: the write joins the transaction the store opened around the handler.
const write = (messageId: string) => dataSource.query('INSERT INTO effects (consumer, message_id) VALUES ($1, $2)', ['billing', messageId]);

/** A first delivery whose handler writes, then holds until `finish()` (and then throws `failure`, if given). */
function holdHandler(messageId: string, failure?: Error) {
  let finish!: () => void;
  let running!: () => void;
  const started = new Promise<void>((resolve) => (running = resolve));
  const gate = new Promise<void>((resolve) => (finish = resolve));
  const outcome = store.handleOnce({ consumer: 'billing', messageId }, async () => {
    await write(messageId);
    running();
    await gate;
    if (failure) throw failure;
  });
  return { started, outcome, finish: () => finish() };
}

/** Sessions of this database waiting on a lock (a copy waiting on the first copy's uncommitted record). */
async function waitingOnLocks(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  return rows[0].n;
}

describe('TransactionalInboxStore (exactly-once effect)', () => {
  it('the same message delivered 5 times in a row: effect once, 4 duplicates', async () => {
    const messageId = randomUUID();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await store.handleOnce({ consumer: 'billing', messageId }, () => write(messageId))).status);
    expect(statuses).toEqual(['processed', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await effectCount(pool, messageId)).toBe(1);
  });

  it('a handler that writes a row then throws leaves neither the row nor a record; the redelivery writes it once', async () => {
    const messageId = randomUUID();
    let calls = 0;
    const handler = async () => {
      await write(messageId);
      if (++calls === 1) throw new Error('failed after writing');
    };
    await expect(store.handleOnce({ consumer: 'billing', messageId }, handler)).rejects.toThrow('failed after writing');
    expect(await effectCount(pool, messageId)).toBe(0);
    expect(await inboxRecords(pool, messageId)).toEqual([]);
    expect((await store.handleOnce({ consumer: 'billing', messageId }, handler)).status).toBe('processed');
    expect((await store.handleOnce({ consumer: 'billing', messageId }, handler)).status).toBe('duplicate');
    expect(await effectCount(pool, messageId)).toBe(1);
    expect(await inboxRecords(pool, messageId)).toEqual([{ consumer: 'billing', status: 'done' }]);
  });

  it('writes no in_progress record: a copy delivered while the first runs waits for its transaction, then is a duplicate', async () => {
    const messageId = randomUUID();
    const first = holdHandler(messageId);
    await first.started;
    // The first's record is uncommitted: nothing for another consumer to find, so nothing to orphan.
    expect(await inboxRecords(pool, messageId)).toEqual([]);
    const second = store.handleOnce({ consumer: 'billing', messageId }, () => write(messageId));
    await waitFor(async () => (await waitingOnLocks(pool)) > 0, { description: 'the copy waits on the first copy\'s record' });
    first.finish();
    expect((await first.outcome).status).toBe('processed');
    expect((await second).status).toBe('duplicate');
    expect(await effectCount(pool, messageId)).toBe(1);
    expect(await inboxRecords(pool, messageId)).toEqual([{ consumer: 'billing', status: 'done' }]);
  });

  it('a copy waiting on a first copy that rolls back runs the handler itself: effect once', async () => {
    const messageId = randomUUID();
    const first = holdHandler(messageId, new Error('first copy fails'));
    await first.started;
    const second = store.handleOnce({ consumer: 'billing', messageId }, () => write(messageId));
    await waitFor(async () => (await waitingOnLocks(pool)) > 0, { description: 'the copy waits on the first copy\'s record' });
    first.finish();
    await expect(first.outcome).rejects.toThrow('first copy fails');
    expect((await second).status).toBe('processed');
    expect(await effectCount(pool, messageId)).toBe(1);
  });

  it('a copy gives up after inProgressWaitMs with MessageInProgressError (retry after one lease); the first completes', async () => {
    const impatient = new TransactionalInboxStore({ dataSource, inProgressWaitMs: 100 });
    const messageId = randomUUID();
    const first = holdHandler(messageId);
    await first.started;
    const err = await impatient.handleOnce({ consumer: 'billing', messageId, leaseMs: 7_000 }, () => write(messageId)).catch((e: Error) => e);
    first.finish();
    expect(err).toMatchObject({ name: 'MessageInProgressError', messageId, retryAfterMs: 7_000 });
    expect((await first.outcome).status).toBe('processed');
    expect(await effectCount(pool, messageId)).toBe(1);
  });

  it("runs the handler under the session's own lock_timeout, not the store's bounded wait", async () => {
    const messageId = randomUUID();
    let inside = '';
    await store.handleOnce({ consumer: 'billing', messageId }, async () => {
      inside = (await dataSource.query('SHOW lock_timeout'))[0].lock_timeout;
    });
    expect(inside).toBe((await pool.query('SHOW lock_timeout')).rows[0].lock_timeout);
  });

  it("inside a caller's transaction: takes a lease, and rolls back the late instance whose lease was taken over (InboxLeaseLostError)", async () => {
    const messageId = randomUUID();
    let finish!: () => void;
    const first = runInTransaction(() =>
      store.handleOnce({ consumer: 'billing', messageId }, async () => {
        await write(messageId);
        await new Promise<void>((resolve) => (finish = resolve));
      }),
    );
    while (!finish) await sleep(5);
    expect(await inboxRecords(pool, messageId)).toEqual([{ consumer: 'billing', status: 'in_progress' }]);
    await pool.query(`UPDATE inbox SET locked_until = now() - interval '1 second' WHERE message_id = $1`, [messageId]);
    expect((await store.handleOnce({ consumer: 'billing', messageId }, () => write(messageId))).status).toBe('processed');
    finish();
    await expect(first).rejects.toMatchObject({ name: 'InboxLeaseLostError', messageId });
    expect(await effectCount(pool, messageId)).toBe(1);
  });

  it("inside a caller's transaction: renews the lease (on the pool, outside the handler's transaction) of a handler slower than leaseMs", async () => {
    const messageId = randomUUID();
    let finish!: () => void;
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const first = runInTransaction(() =>
      store.handleOnce({ consumer: 'billing', messageId, leaseMs: 300 }, async () => {
        await write(messageId);
        running();
        await new Promise<void>((resolve) => (finish = resolve));
      }),
    );
    await started;
    await leaseTakenNowRunsOut(pool, messageId);
    const err = await store.handleOnce({ consumer: 'billing', messageId, leaseMs: 300 }, () => write(messageId)).catch((e: Error) => e);
    finish();
    expect(err).toMatchObject({ name: 'MessageInProgressError' });
    expect((await first).status).toBe('processed');
    expect(await effectCount(pool, messageId)).toBe(1);
    expect(await inboxRecords(pool, messageId)).toEqual([{ consumer: 'billing', status: 'done' }]);
  });

  it("joins the caller's transaction: the done record rolls back with it and the lease is freed", async () => {
    const messageId = randomUUID();
    await expect(
      runInTransaction(async () => {
        await store.handleOnce({ consumer: 'billing', messageId }, () => write(messageId));
        throw new Error('caller failed after handleOnce');
      }),
    ).rejects.toThrow('caller failed after handleOnce');
    expect(await effectCount(pool, messageId)).toBe(0);
    // The lease is released by a rollback hook, after the rollback: wait for it rather than for the lease.
    for (let i = 0; i < 100 && (await inboxRecords(pool, messageId)).length > 0; i++) await sleep(20);
    expect(await inboxRecords(pool, messageId)).toEqual([]);
    expect((await store.handleOnce({ consumer: 'billing', messageId }, () => write(messageId))).status).toBe('processed');
    expect(await effectCount(pool, messageId)).toBe(1);
  });

  it('refuses a reused id with a different body', async () => {
    const messageId = randomUUID();
    await store.handleOnce({ consumer: 'billing', messageId, payload: 'a' }, () => write(messageId));
    await expect(store.handleOnce({ consumer: 'billing', messageId, payload: 'b' }, () => write(messageId))).rejects.toMatchObject({
      name: 'PayloadMismatchError',
    });
    expect(await effectCount(pool, messageId)).toBe(1);
  });

  it('needs a DataSource given or registered under connectionName', () => {
    expect(() => new TransactionalInboxStore({ connectionName: 'nowhere' })).toThrowError(
      expect.objectContaining({ name: 'InvalidOptionError', option: 'dataSource' }),
    );
  });
});
