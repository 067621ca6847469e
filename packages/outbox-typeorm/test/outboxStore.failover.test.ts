// The store against a real primary with a real streaming standby (devkit's startStandby), reached
// through a TCP proxy that plays the DNS name: when the name points at the standby, checkWritable says
// so (a read alone succeeds there), and when it points back at the writer the store gets there by itself:
// the first statement that meets the read-only server closes the pool's other idle connections to it,
// so the next one connects anew; LISTEN follows too. Last, a real failover: the primary stopped at once,
// the standby promoted, the name moved.
import { startPostgres, startSilentProxy, startStandby, testPool, type RunningPostgres, type RunningStandby, type SilentProxy } from '@tx-outbox/devkit';
import { waitFor } from '@tx-outbox/outbox-core/testing';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertOutboxMessages, PostgresOutboxStore, wakeRelays } from '../src/postgres/index.js';
import { outboxTableDdl } from '../src/internal.js';

let primary: RunningPostgres;
let standby: RunningStandby;
let dns: SilentProxy;
/** Straight to the primary (never through the name), for the test's own writes and checks. */
let direct: pg.Pool;
const pools: pg.Pool[] = [];

const address = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });
/** The store's pool, reaching the database by "name" (the proxy). */
function poolByName(max = 4): pg.Pool {
  const url = new URL(primary.url);
  url.port = String(dns.port);
  const pool = testPool(url.toString(), { max, application_name: 'failover-test' });
  pools.push(pool);
  return pool;
}
const lease = { relayId: 'failover-test', limit: 10, leaseMs: 30_000, ordered: false } as const;

async function publish(pool: pg.Pool, n: number): Promise<string[]> {
  const client = await pool.connect();
  try {
    const ids = await insertOutboxMessages(client, Array.from({ length: n }, (_, i) => ({ subject: 'failover.test', body: { i } })));
    await wakeRelays(client);
    return ids;
  } finally {
    client.release();
  }
}

/** Sessions of this test's pools on the server at `url`: how many, and how many hold LISTEN. */
async function sessionsOn(url: string): Promise<{ total: number; listening: number }> {
  const pool = testPool(url, { max: 1 });
  try {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE query LIKE 'LISTEN %')::int AS listening
         FROM pg_stat_activity WHERE application_name = 'failover-test'`,
    );
    return rows[0];
  } finally {
    await pool.end();
  }
}

beforeAll(async () => {
  primary = await startPostgres({ forceEmbedded: true });
  direct = testPool(primary.url, { max: 2 });
  for (const statement of outboxTableDdl()) await direct.query(statement);
  standby = await startStandby(primary);
  dns = await startSilentProxy(address(primary.url));
}, 120_000);
// Each test starts with the name on the writer (a test that failed midway may have left it elsewhere).
beforeEach(() => dns.moveTo(address(primary.url), { cut: true }));
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await direct?.end().catch(() => {});
  await dns?.close();
  await standby?.stop();
  await primary?.stop();
});

describe('PostgresOutboxStore when the database name moves', () => {
  it('checkWritable: writable on the primary, in recovery on the standby, read-only under default_transaction_read_only', async () => {
    expect(await new PostgresOutboxStore({ pool: direct }).checkWritable()).toEqual({ writable: true });
    const onStandby = testPool(standby.url, { max: 1 });
    pools.push(onStandby);
    const store = new PostgresOutboxStore({ pool: onStandby });
    // A read succeeds there, which is why readiness must not be fed by one.
    await expect(store.stats()).resolves.toMatchObject({ pending: 0 });
    expect(await store.checkWritable()).toMatchObject({ writable: false, code: 'in-recovery', reason: expect.stringContaining('pg_is_in_recovery()') });

    await direct.query(`CREATE DATABASE read_only_db`);
    await direct.query(`ALTER DATABASE read_only_db SET default_transaction_read_only = on`);
    const url = new URL(primary.url);
    url.pathname = '/read_only_db';
    const readOnly = testPool(url.toString(), { max: 1 });
    pools.push(readOnly);
    expect(await new PostgresOutboxStore({ pool: readOnly }).checkWritable()).toMatchObject({ writable: false, code: 'read-only' });
    await readOnly.end();
    await direct.query(`DROP DATABASE read_only_db`);
  });

  it('gets back to the writer by itself: the first claim that meets the read-only server drops the idle connections to it', async () => {
    const pool = poolByName(4);
    const store = new PostgresOutboxStore({ pool });
    await publish(direct, 3);
    await standby.caughtUp();

    // The name points at the standby: the pool fills with connections to it (reads succeed there).
    dns.moveTo(address(standby.url), { cut: true });
    await Promise.all(Array.from({ length: 4 }, () => store.stats()));
    expect(pool.idleCount).toBeGreaterThan(1);
    expect((await sessionsOn(standby.url)).total).toBe(pool.idleCount);

    // The name points back at the primary; the standby's connections stay open, as DNS leaves them.
    dns.moveTo(address(primary.url));
    await expect(store.claim(lease)).rejects.toMatchObject({ code: '25006' }); // an idle one still reached the standby…
    expect((await sessionsOn(standby.url)).total).toBe(0); // …and took the other idle ones with it
    const claimed = await store.claim(lease); // so the next statement connects anew, to the primary
    expect(claimed).toHaveLength(3);
    await store.markSent(lease.relayId, claimed.map((m) => m.id));
  });

  it('checkWritable on the standby drops the idle connections to it as well', async () => {
    const pool = poolByName(3);
    const store = new PostgresOutboxStore({ pool });
    dns.moveTo(address(standby.url), { cut: true });
    await Promise.all(Array.from({ length: 3 }, () => pool.query('SELECT 1')));
    expect(await store.checkWritable()).toMatchObject({ writable: false, code: 'in-recovery' });
    expect(pool.idleCount).toBe(0);
    dns.moveTo(address(primary.url));
    expect(await store.checkWritable()).toEqual({ writable: true });
  });

  it('LISTEN follows the name: it fails on the standby, and holds on the writer once the name points there', async () => {
    const pool = poolByName(3);
    const store = new PostgresOutboxStore({ pool, notifyCheckIntervalMs: 0 });
    const errors: Error[] = [];
    let woken = 0;
    const unsubscribe = await store.subscribe(() => void woken++, { lost: () => {}, restored: () => {}, error: (e) => void errors.push(e), timeoutMs: 2_000 });
    try {
      expect((await sessionsOn(primary.url)).listening).toBe(1);
      dns.moveTo(address(standby.url), { cut: true });
      await waitFor(() => errors.some((e) => /LISTEN during recovery/.test(String((e.cause as Error | undefined)?.message ?? e.message))), {
        timeoutMs: 20_000,
        description: 'LISTEN refused by the standby',
      });
      dns.moveTo(address(primary.url));
      await waitFor(async () => (await sessionsOn(primary.url)).listening === 1, { timeoutMs: 20_000, description: 'LISTEN held on the primary again' });
      const before = woken;
      await publish(direct, 1);
      await waitFor(() => woken > before, { description: 'woken by the NOTIFY' });
    } finally {
      await unsubscribe();
    }
    await direct.query('DELETE FROM outbox');
  });

  it('after a real failover (primary stopped at once, standby promoted, name moved) claims and LISTEN work on the new writer', async () => {
    const pool = poolByName(4);
    const store = new PostgresOutboxStore({ pool, notifyCheckIntervalMs: 0 });
    const ids = await publish(direct, 2);
    await standby.caughtUp();
    let woken = 0;
    const unsubscribe = await store.subscribe(() => void woken++, { lost: () => {}, restored: () => {}, timeoutMs: 2_000 });
    try {
      await pool.query('SELECT 1');
      await primary.crash!();
      await expect(store.claim(lease)).rejects.toThrow(); // the name still points at the dead primary
      await standby.promote();
      dns.moveTo(address(standby.url));
      let last: unknown;
      const claimed = await waitFor(() => store.claim(lease).then((c) => (c.length > 0 ? c : undefined), (e) => void (last = e)), {
        timeoutMs: 20_000,
        intervalMs: 100,
        description: 'a claim on the promoted standby',
      }).catch((e) => { throw new Error(`${e.message}; last: ${String(last)}`); });
      expect(claimed.map((m) => m.id).sort()).toEqual([...ids].sort());
      expect(await store.checkWritable()).toEqual({ writable: true });
      await waitFor(async () => (await sessionsOn(standby.url)).listening === 1, { timeoutMs: 20_000, description: 'LISTEN on the new writer' });
      const before = woken;
      await publish(pool, 1);
      await waitFor(() => woken > before, { description: 'woken by a NOTIFY on the new writer' });
    } finally {
      await unsubscribe();
    }
  });
});
