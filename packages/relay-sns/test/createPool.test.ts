// The sidecar's pool takes its deadlines from OUTBOX_STORE_TIMEOUT_MS: against a database connection gone
// silent (a real TCP proxy that keeps the sockets open and drops every byte), a query fails by the pool's
// own deadline and the stuck client leaves the pool, and a larger store timeout gives a longer one.
import { createTestDatabase, startSilentProxy, type SilentProxy, type TestDatabase } from '@tx-outbox/devkit';
import type pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createPool, poolDeadlines } from '../src/cli/createPool.js';
import type { Logger } from '../src/cli/logger.js';

let db: TestDatabase;
let proxy: SilentProxy;
const pools: pg.Pool[] = [];
const warnings: string[] = [];
const logger: Logger = { debug: () => {}, info: () => {}, warn: (msg) => void warnings.push(msg), error: () => {} };

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'create_pool');
  const url = new URL(db.url);
  proxy = await startSilentProxy({ host: url.hostname, port: Number(url.port) });
});
afterAll(async () => {
  proxy?.resume(); // cuts the silenced connections, so end() does not wait on them
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await proxy?.close();
  await db?.drop();
});

function poolThroughProxy(storeTimeoutMs: number): pg.Pool {
  const url = new URL(db.url);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  const pool = createPool(url.toString(), 1, logger, { storeTimeoutMs });
  pools.push(pool);
  return pool;
}

it('derives every pool deadline from the store timeout, below it', () => {
  expect(poolDeadlines(10_000)).toMatchObject({ connectionTimeoutMillis: 5_000, query_timeout: 9_000, keepAlive: true });
  const short = poolDeadlines(400);
  expect(short.query_timeout).toBeLessThan(400);
  expect(short.connectionTimeoutMillis).toBeLessThan(400);
  expect(poolDeadlines(1).query_timeout).toBeGreaterThan(0); // 0 would mean "no deadline" to pg
});

it('fails a query on a silent connection by the deadline OUTBOX_STORE_TIMEOUT_MS sets, and drops that client from the pool', async () => {
  const short = poolThroughProxy(400);
  const long = poolThroughProxy(120_000);
  await Promise.all([short.query('SELECT 1'), long.query('SELECT 1')]);
  expect(short.totalCount).toBe(1);

  proxy.silence();
  let longSettled = false;
  const longQuery = long.query('SELECT 1').finally(() => (longSettled = true));
  longQuery.catch(() => {});
  await expect(short.query('SELECT 1')).rejects.toThrow(/timeout/i);
  // Same silence, same moment: the pool with the larger store timeout is still waiting.
  expect(longSettled).toBe(false);
  expect(short.totalCount).toBe(0);

  proxy.resume();
  await expect(longQuery).rejects.toThrow(); // its connection was cut with the partition's end
  expect((await short.query('SELECT 1 AS one')).rows[0].one).toBe(1);
}, 30_000);
