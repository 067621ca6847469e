import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { createOutboxTable } from './fixtures/outboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;
const unsubscribers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'outbox_notify');
  pool = new pg.Pool({ connectionString: db.url, max: 6 });
  pool.on('error', () => {}); // idle clients whose backend a test terminates
  await createOutboxTable(pool);
});

afterEach(async () => {
  while (unsubscribers.length) await unsubscribers.pop()!();
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** Resolves once `count` wake-ups have been seen. */
function wakeCounter() {
  let count = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    onWake: () => {
      count += 1;
      for (const w of waiters.filter((w) => count >= w.n)) w.resolve();
    },
    get count() {
      return count;
    },
    reach: (n: number) => new Promise<void>((resolve) => (count >= n ? resolve() : waiters.push({ n, resolve }))),
  };
}

async function commitWithNotify(channel: string) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO outbox (id, subject, payload) VALUES (gen_random_uuid(), 's', '{}')`);
    await client.query('SELECT pg_notify($1, $2)', [channel, '']);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

it('wakes after a committed INSERT + pg_notify, not after a rolled-back one', async () => {
  const store = new PostgresOutboxStore({ pool });
  const wakes = wakeCounter();
  unsubscribers.push(await store.subscribe(wakes.onWake));
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_notify($1, $2)', [store.channel, '']);
  await client.query('ROLLBACK');
  client.release();
  await commitWithNotify(store.channel);
  await wakes.reach(1);
  // A notification on another outbox's channel is not ours.
  await pool.query('SELECT pg_notify($1, $2)', ['other_outbox_notify', '']);
  await commitWithNotify(store.channel);
  await wakes.reach(2);
  expect(wakes.count).toBe(2);
});

it('resubscribes after its backend is terminated, waking once on reconnect', async () => {
  const errors: Error[] = [];
  const store = new PostgresOutboxStore({ pool, onListenError: (e) => errors.push(e) });
  const wakes = wakeCounter();
  unsubscribers.push(await store.subscribe(wakes.onWake));
  const listeners = async () =>
    (await pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`)).rows;
  const [listener] = await listeners();
  await pool.query('SELECT pg_terminate_backend($1)', [listener.pid]);
  await wakes.reach(1); // the wake-up after reconnecting
  expect(errors[0]!.message).toContain('lost');
  const [again] = await listeners();
  expect(again.pid).not.toBe(listener.pid);
  await commitWithNotify(store.channel);
  await wakes.reach(2);
});

it('unsubscribe gives the connection back and stops listening', async () => {
  const store = new PostgresOutboxStore({ pool, tableName: 'outbox' });
  const wakes = wakeCounter();
  const unsubscribe = await store.subscribe(wakes.onWake);
  await unsubscribe();
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
  );
  expect(rows[0].n).toBe(0);
  await commitWithNotify(store.channel);
  // A committed notify after unsubscribing reaches nobody; a fresh subscription still works.
  const fresh = wakeCounter();
  unsubscribers.push(await store.subscribe(fresh.onWake));
  await commitWithNotify(store.channel);
  await fresh.reach(1);
  expect(wakes.count).toBe(0);
});

it('rejects when the first LISTEN cannot connect', async () => {
  const broken = new pg.Pool({ connectionString: db.url.replace(/\/[^/]+$/, '/no_such_database') });
  const store = new PostgresOutboxStore({ pool: broken });
  await expect(store.subscribe(() => {})).rejects.toMatchObject({ code: '3D000' });
  await broken.end();
});
