import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { waitFor } from '@tx-outbox/outbox-core/testing';
import { type ListenClient, NotifyListener } from '../src/postgres/outboxStore/NotifyListener.js';
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

/** The test pool, counting the probe notifications sent through it. */
function probeCountingPool() {
  const counted = {
    probes: 0,
    pool: {
      query: (text: any, values?: any) => {
        if (Array.isArray(values) && String(values[1]).startsWith('tx-outbox-probe:')) counted.probes += 1;
        return pool.query(text, values);
      },
      connect: () => pool.connect(),
    } as unknown as pg.Pool,
  };
  return counted;
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

it('unsubscribe takes its error listener off the pooled connection, cycle after cycle', async () => {
  const single = new pg.Pool({ connectionString: db.url, max: 1 }); // every cycle gets the same client
  const clients = new Set<pg.PoolClient>();
  const counts: number[] = [];
  try {
    for (let cycle = 0; cycle < 3; cycle++) {
      const listener = new NotifyListener({
        connect: async () => {
          const client = await single.connect();
          clients.add(client);
          return client;
        },
        channel: 'outbox_notify_cycles',
        onWake: () => {},
        onError: () => {},
      });
      await listener.start();
      await listener.stop();
      counts.push([...clients][0]!.listenerCount('error'));
    }
    expect(clients.size).toBe(1);
    expect(counts).toEqual([counts[0], counts[0], counts[0]]);
  } finally {
    await single.end();
  }
});

it.each([
  ['fails', () => Promise.reject(new Error('check failed'))],
  ['never answers', () => new Promise<never>(() => {})],
])('reconnects when the liveness check %s', async (_label, check) => {
  const errors: Error[] = [];
  const wakes = wakeCounter();
  let connects = 0;
  const listener = new NotifyListener({
    connect: async (): Promise<ListenClient> => {
      const client = await pool.connect();
      connects += 1;
      if (connects > 1) return client;
      // The first connection answers LISTEN but not the liveness check: a half-open connection.
      return {
        query: (text) => (text === 'SELECT 1' ? check() : client.query(text)),
        on: (event, fn) => client.on(event, fn),
        removeListener: (event, fn) => client.removeListener(event, fn),
        release: (destroy) => client.release(destroy),
      };
    },
    channel: 'outbox_notify_liveness',
    onWake: wakes.onWake,
    onError: (e) => errors.push(e),
    livenessIntervalMs: 50,
    minReconnectDelayMs: 10,
  });
  unsubscribers.push(() => listener.stop());
  await listener.start();
  await wakes.reach(1); // the wake-up after reconnecting
  expect(connects).toBe(2);
  expect(errors[0]!.message).toMatch(/^LISTEN connection on "outbox_notify_liveness" lost: /);
  await pool.query('SELECT pg_notify($1, $2)', ['outbox_notify_liveness', '']);
  await wakes.reach(2);
});

it('stops the liveness check before UNLISTEN: nothing else runs on the connection it gives back to the pool', async () => {
  // A liveness SELECT 1 sent while UNLISTEN is answered would still be running on the connection
  // when the pool hands it to a claim: two queries on one pg client at once.
  const sent: string[] = [];
  const errors: Error[] = [];
  const listener = new NotifyListener({
    connect: async (): Promise<ListenClient> => {
      const client = await pool.connect();
      return {
        query: async (text) => {
          sent.push(text);
          if (text === 'SELECT 1') return; // answered at once: only when the checks are sent matters here
          const result = await client.query(text);
          if (text === 'UNLISTEN *') await new Promise((resolve) => setTimeout(resolve, 100)); // a slow answer: many liveness intervals
          return result;
        },
        on: (event, fn) => client.on(event, fn),
        removeListener: (event, fn) => client.removeListener(event, fn),
        release: (destroy) => client.release(destroy),
      };
    },
    channel: 'outbox_notify_unlisten',
    onWake: () => {},
    onError: (e) => errors.push(e),
    livenessIntervalMs: 5,
  });
  await listener.start();
  await waitFor(() => sent.includes('SELECT 1'), { description: 'a liveness check' });
  await listener.stop();
  expect(errors).toEqual([]);
  expect(sent.slice(sent.indexOf('UNLISTEN *'))).toEqual(['UNLISTEN *']);
});

it('refuses a livenessIntervalMs that is not a positive number, naming the option', () => {
  const create = () =>
    new NotifyListener({ connect: () => pool.connect(), channel: 'c', onWake: () => {}, onError: () => {}, livenessIntervalMs: 0 });
  expect(create).toThrowError(expect.objectContaining({ name: 'InvalidOptionError', option: 'livenessIntervalMs' }));
});

it('never wakes on probe notifications, its own or another relay’s, yet still on the publisher’s', async () => {
  const counted = probeCountingPool();
  const store = new PostgresOutboxStore({ pool: counted.pool, notifyCheckIntervalMs: 20, notifyCheckTimeoutMs: 1000 });
  const wakes = wakeCounter();
  const lost: Error[] = [];
  unsubscribers.push(await store.subscribe(wakes.onWake, { lost: (e) => lost.push(e), restored: () => {} }));
  // A probe is sent only once the previous one was heard or declared lost: three sent and nothing
  // lost means at least two were heard.
  await waitFor(() => counted.probes >= 3);
  expect(lost).toEqual([]);
  await pool.query('SELECT pg_notify($1, $2)', [store.channel, 'tx-outbox-probe:someone-else']);
  await commitWithNotify(store.channel);
  await wakes.reach(1);
  expect(wakes.count).toBe(1);
  expect(lost).toEqual([]);
});

it('reports lost notifications once when its probes are not heard, and their return when they are', async () => {
  let dropping = true;
  const listenPool = {
    // A LISTEN connection whose notifications vanish while `dropping`, as through a transaction-mode pooler.
    connect: async (): Promise<ListenClient> => {
      const client = await pool.connect();
      const forwards = new Map<(...args: any[]) => void, (...args: any[]) => void>();
      return {
        query: (text) => client.query(text),
        on: (event, fn) => {
          const forward = event === 'notification' ? (m: unknown) => void (dropping || fn(m)) : fn;
          forwards.set(fn, forward);
          return client.on(event, forward);
        },
        removeListener: (event, fn) => client.removeListener(event, forwards.get(fn) ?? fn),
        release: (destroy) => client.release(destroy),
      };
    },
  };
  const events: string[] = [];
  const errors: Error[] = [];
  const counted = probeCountingPool();
  const store = new PostgresOutboxStore({ pool: counted.pool, listenPool, notifyCheckIntervalMs: 30, notifyCheckTimeoutMs: 50 });
  unsubscribers.push(
    await store.subscribe(() => {}, {
      lost: (e) => {
        events.push('lost');
        errors.push(e);
      },
      restored: () => events.push('restored'),
    }),
  );
  await waitFor(() => events.length > 0, { description: 'lost notifications reported' });
  // Several more probes go unheard: still one report.
  const sent = counted.probes;
  await waitFor(() => counted.probes >= sent + 4);
  expect(events).toEqual(['lost']);
  expect(errors[0]).toMatchObject({ name: 'NotificationsLostError', channel: store.channel });
  expect(errors[0]!.message).toContain('transaction mode');
  expect(errors[0]!.message).toContain('OUTBOX_LISTEN_DATABASE_URL');
  dropping = false;
  await waitFor(() => events.length > 1, { description: 'restored reported' });
  expect(events).toEqual(['lost', 'restored']);
});

it('refuses a listenPool without connect() and negative check intervals, naming the option', () => {
  const create = (options: object) => () => new PostgresOutboxStore({ pool, ...options });
  expect(create({ listenPool: {} })).toThrowError(expect.objectContaining({ name: 'InvalidOptionError', option: 'listenPool' }));
  expect(create({ notifyCheckIntervalMs: -1 })).toThrowError(expect.objectContaining({ name: 'InvalidOptionError', option: 'notifyCheckIntervalMs' }));
  expect(create({ notifyCheckTimeoutMs: 0 })).toThrowError(expect.objectContaining({ name: 'InvalidOptionError', option: 'notifyCheckTimeoutMs' }));
});
