// What every inbox must do is in the contract suite (storeContracts.test.ts); these are the
// PostgreSQL store's own rows, errors and options.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@tx-outbox/devkit';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { PostgresInboxStore } from '../src/postgres/inboxStore/PostgresInboxStore.js';
import { inboxTableDdl } from '../src/postgres/schema/inboxTableDdl.js';
import { createInboxTables, effectCount, inboxRecords, leaseTakenNowRunsOut } from './fixtures/inboxTables.js';

let db: TestDatabase;
let pool: pg.Pool;
let store: PostgresInboxStore;

beforeAll(async () => {
  db = await openTestDatabase('inbox_pg');
  pool = new pg.Pool({ connectionString: db.url });
  await createInboxTables(pool);
  store = new PostgresInboxStore({ pool });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const effect = (messageId: string) => () => pool.query('INSERT INTO effects (consumer, message_id) VALUES ($1, $2)', ['billing', messageId]);

describe('PostgresInboxStore', () => {
  it('refuses a reused id with a different body (PayloadMismatchError), accepts the same body as duplicate', async () => {
    const messageId = randomUUID();
    await store.handleOnce({ consumer: 'billing', messageId, payload: '{"amount":5}' }, effect(messageId));
    const err = await store.handleOnce({ consumer: 'billing', messageId, payload: '{"amount":500}' }, effect(messageId)).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'PayloadMismatchError', consumer: 'billing', messageId });
    expect((await store.handleOnce({ consumer: 'billing', messageId, payload: '{"amount":5}' }, effect(messageId))).status).toBe('duplicate');
    expect(await effectCount(pool, messageId)).toBe(1);
  });

  it('a late instance whose lease was taken over gets InboxLeaseLostError', async () => {
    const messageId = randomUUID();
    let finish!: () => void;
    const first = store.handleOnce({ consumer: 'billing', messageId }, () => new Promise<void>((resolve) => (finish = resolve)));
    while (!finish) await sleep(5);
    await pool.query(`UPDATE inbox SET locked_until = now() - interval '1 second' WHERE message_id = $1`, [messageId]);
    expect((await store.handleOnce({ consumer: 'billing', messageId }, effect(messageId))).status).toBe('processed');
    finish();
    await expect(first).rejects.toMatchObject({ name: 'InboxLeaseLostError', messageId });
    expect(await inboxRecords(pool, messageId)).toEqual([{ consumer: 'billing', status: 'done' }]);
  });

  it('renews the lease of a handler slower than leaseMs: a concurrent delivery is refused, the effect happens once', async () => {
    const messageId = randomUUID();
    let finish!: () => void;
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const first = store.handleOnce({ consumer: 'billing', messageId, leaseMs: 300 }, async () => {
      await effect(messageId)();
      running();
      await new Promise<void>((resolve) => (finish = resolve));
    });
    await started;
    await leaseTakenNowRunsOut(pool, messageId);
    const err = await store.handleOnce({ consumer: 'billing', messageId, leaseMs: 300 }, effect(messageId)).catch((e: Error) => e);
    finish();
    expect(err).toMatchObject({ name: 'MessageInProgressError' });
    expect((await first).status).toBe('processed');
    expect(await effectCount(pool, messageId)).toBe(1);
    expect(await inboxRecords(pool, messageId)).toEqual([{ consumer: 'billing', status: 'done' }]);
  });

  it('extendLease moves locked_until on the database clock, fenced by the lease token', async () => {
    const messageId = randomUUID();
    const begun = await store.begin({ consumer: 'billing', messageId, leaseMs: 1_000, ttlMs: 60_000 });
    if (begun.outcome !== 'acquired') throw new Error(begun.outcome);
    const lease = { consumer: 'billing', messageId, token: begun.token };
    const lockedUntil = async () =>
      (await pool.query(`SELECT extract(epoch FROM locked_until - clock_timestamp()) * 1000 AS ms FROM inbox WHERE message_id = $1`, [messageId])).rows[0].ms;
    expect(await store.extendLease(lease, 600_000)).toBe(true);
    expect(Number(await lockedUntil())).toBeGreaterThan(500_000);
    expect(await store.extendLease({ ...lease, token: randomUUID() }, 1)).toBe(false);
    expect(Number(await lockedUntil())).toBeGreaterThan(500_000);
    expect(await store.complete(lease, 60_000)).toBe(true);
    expect(await store.extendLease(lease, 600_000)).toBe(false);
  });

  it('purges expired records in batches and keeps live ones; an expired done record no longer counts', async () => {
    await pool.query('DELETE FROM inbox');
    const old = Array.from({ length: 5 }, () => randomUUID());
    for (const messageId of old) await store.handleOnce({ consumer: 'retention', messageId, ttlMs: 1 }, () => undefined);
    await store.handleOnce({ consumer: 'retention', messageId: 'fresh' }, () => undefined);
    // An abandoned in_progress record past its lease and retention goes too; a live lease stays.
    await store.begin({ consumer: 'retention', messageId: 'abandoned', leaseMs: 1, ttlMs: 1 });
    await store.begin({ consumer: 'retention', messageId: 'live', leaseMs: 60_000, ttlMs: 1 });
    await sleep(20);

    const batches = [];
    for (let purged = -1; purged !== 0; ) batches.push((purged = await store.purgeExpired(2)));
    expect(batches).toEqual([2, 2, 2, 0]);
    const { rows } = await pool.query(`SELECT message_id FROM inbox WHERE consumer = 'retention' ORDER BY message_id`);
    expect(rows.map((r) => r.message_id)).toEqual(['fresh', 'live']);
    expect((await store.handleOnce({ consumer: 'retention', messageId: old[0]! }, () => 'again')).status).toBe('processed');
  });

  it('validates its options by name', async () => {
    expect(() => new PostgresInboxStore({})).toThrowError(expect.objectContaining({ name: 'InvalidOptionError', option: 'pool' }));
    expect(() => new PostgresInboxStore({ pool, tableName: 'in box' })).toThrowError(expect.objectContaining({ name: 'InvalidIdentifierError' }));
    await expect(store.purgeExpired(0)).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'batchSize' });
  });

  it('runs on the pool of a TypeORM DataSource, in a custom schema and table', async () => {
    const dataSource = new DataSource({ type: 'postgres', url: db.url });
    const custom = new PostgresInboxStore({ dataSource, schema: 'messaging', tableName: 'received' });
    await dataSource.initialize();
    try {
      for (const statement of inboxTableDdl({ schema: 'messaging', tableName: 'received' })) await pool.query(statement);
      expect((await custom.handleOnce({ consumer: 'c', messageId: 'm' }, () => 1)).status).toBe('processed');
      expect((await custom.handleOnce({ consumer: 'c', messageId: 'm' }, () => 1)).status).toBe('duplicate');
      const { rows } = await pool.query('SELECT status FROM messaging.received');
      expect(rows).toEqual([{ status: 'done' }]);
    } finally {
      await dataSource.destroy();
    }
  });
});
