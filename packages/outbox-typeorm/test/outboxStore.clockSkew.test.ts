// One clock: with the relay's process clock 10 minutes ahead of or behind the database, a retried
// message becomes available at the database's now() + backoff, and a lease runs out at the database's
// now() + leaseMs. The process clock never reaches a timestamp column.
import { Relay } from '@tx-outbox/outbox-core';
import { TestTransport } from '@tx-outbox/outbox-core/testing';
import { createTestDatabase, testPool, type TestDatabase } from '@tx-outbox/devkit';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { insertOutboxMessages, PostgresOutboxStore } from '../src/postgres/index.js';
import { outboxTableDdl } from '../src/internal.js';

const TEN_MINUTES = 10 * 60_000;
const BACKOFF = { maxAttempts: 5, initialIntervalMs: 60_000, backoffCoefficient: 2, maxIntervalMs: 60_000, jitter: 0.1 };
const LEASE_MS = 30_000;

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'clock_skew');
  pool = testPool(db.url, { max: 4 });
  for (const statement of outboxTableDdl()) await pool.query(statement);
});
afterEach(() => void vi.useRealTimers());
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** The database's clock, in ms since the epoch. */
const dbNow = async (): Promise<number> => Number((await pool.query('SELECT extract(epoch FROM clock_timestamp()) * 1000 AS ms')).rows[0].ms);
const columnMs = async (column: 'available_at' | 'locked_until', id: string): Promise<number> =>
  Number((await pool.query(`SELECT extract(epoch FROM ${column}) * 1000 AS ms FROM outbox WHERE id = $1`, [id])).rows[0].ms);
async function insert(subject: string): Promise<string> {
  const client = await pool.connect();
  try {
    const [id] = await insertOutboxMessages(client, [{ subject, body: {} }]);
    return id!;
  } finally {
    client.release();
  }
}

describe.each([
  ['ahead', TEN_MINUTES],
  ['behind', -TEN_MINUTES],
])('with the process clock 10 minutes %s of the database', (_, skewMs) => {
  it('a message that fails once is available again at the database now() + backoff (within the jitter)', async () => {
    const id = await insert(`skew.retry.${skewMs}`);
    const transport = new TestTransport().failWhen({ id }, { times: 1 });
    const relay = new Relay({ store: new PostgresOutboxStore({ pool }), transport, statsIntervalMs: 0, retry: BACKOFF });
    const before = await dbNow();
    vi.useFakeTimers({ now: Date.now() + skewMs, toFake: ['Date'] });
    expect(Math.abs(Date.now() - skewMs - before)).toBeLessThan(60_000); // the skew is in place
    const counts = await relay.runOnce();
    vi.useRealTimers();
    const after = await dbNow();
    await relay.stop();

    expect(counts).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    const availableAt = await columnMs('available_at', id);
    const { initialIntervalMs: base, jitter } = BACKOFF;
    expect(availableAt).toBeGreaterThanOrEqual(before + base * (1 - jitter) - 1);
    expect(availableAt).toBeLessThanOrEqual(after + base * (1 + jitter) + 1);
  });

  it('a claim leases until the database now() + leaseMs', async () => {
    const id = await insert(`skew.lease.${skewMs}`);
    const store = new PostgresOutboxStore({ pool });
    const before = await dbNow();
    vi.useFakeTimers({ now: Date.now() + skewMs, toFake: ['Date'] });
    expect(Math.abs(Date.now() - skewMs - before)).toBeLessThan(60_000);
    const claimed = await store.claim({ relayId: 'skewed', limit: 10, leaseMs: LEASE_MS, ordered: false });
    vi.useRealTimers();
    const after = await dbNow();

    expect(claimed.map((m) => m.id)).toContain(id);
    const lockedUntil = await columnMs('locked_until', id);
    expect(lockedUntil).toBeGreaterThanOrEqual(before + LEASE_MS - 1);
    expect(lockedUntil).toBeLessThanOrEqual(after + LEASE_MS + 1);
  });
});
