// What every outbox store must do (claims, leases, fencing, marks, stats) is in the contract suite
// (storeContracts.test.ts); these are the PostgreSQL store's own columns, SQL, index use and admin.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@tx-outbox/devkit';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { createOutboxTable, expireLeases, insertMany, insertRows, rowsById } from './fixtures/outboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;
let store: PostgresOutboxStore;
const lease = { leaseMs: 30_000, ordered: false };

beforeAll(async () => {
  db = await openTestDatabase('outbox_store');
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  await createOutboxTable(pool);
  store = new PostgresOutboxStore({ pool });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

beforeEach(async () => {
  await pool.query('TRUNCATE outbox');
});

/** How long each row still waits, in ms, by the database's clock. */
async function delaysLeft(ids: string[]): Promise<number[]> {
  const { rows } = await pool.query<{ id: string; ms: number }>(
    `SELECT id, extract(epoch FROM available_at - now()) * 1000 AS ms FROM outbox WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return ids.map((id) => Number(rows.find((r) => r.id === id)!.ms));
}

describe('construction', () => {
  it('refuses neither or both of pool and dataSource, naming the option', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as Error & { option?: string };
      }
      throw new Error('did not throw');
    };
    expect(err(() => new PostgresOutboxStore({})).name).toBe('InvalidOptionError');
    expect(err(() => new PostgresOutboxStore({ pool, dataSource: { options: { type: 'postgres' }, driver: {} } })).option).toBe('pool');
    expect(err(() => new PostgresOutboxStore({ dataSource: { options: { type: 'mysql' }, driver: {} } })).option).toBe('dataSource');
  });

  it('validates table and schema names before building any SQL', () => {
    expect(() => new PostgresOutboxStore({ pool, tableName: 'outbox"; drop table x; --' })).toThrow(
      expect.objectContaining({ name: 'InvalidIdentifierError' }),
    );
    const s = new PostgresOutboxStore({ pool, schema: 'messaging', tableName: 'events' });
    expect([s.table, s.channel]).toEqual(['"messaging"."events"', 'messaging_events_notify']);
  });

  it('works from a TypeORM-like DataSource, resolving its pool at first use', async () => {
    const dataSource = { options: { type: 'postgres' }, driver: {} as { master?: pg.Pool } };
    const viaDataSource = new PostgresOutboxStore({ dataSource });
    dataSource.driver.master = pool; // "initialized" after construction
    await insertMany(pool, 2);
    expect(await viaDataSource.claim({ relayId: 'ds', limit: 10, ...lease })).toHaveLength(2);
  });

  it('refuses a bad claim limit, naming the option', async () => {
    await expect(store.claim({ relayId: 'a', limit: -1, ...lease })).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'limit' });
  });
});

describe('claim', () => {
  it('returns pending messages in seq order, maps columns and leases them', async () => {
    const ids = await insertRows(pool, [
      { subject: 'a.created', body: { big: 12345678901234567890n.toString(), x: [1, 2] }, headers: { h: 'v' }, groupKey: 'g1' },
      { subject: 'b.created' },
      { subject: 'c.created' },
    ]);
    const claimed = await store.claim({ relayId: 'relay-a', limit: 2, ...lease });
    expect(claimed.map((m) => m.id)).toEqual(ids.slice(0, 2));
    expect(claimed[0]).toMatchObject({ subject: 'a.created', headers: { h: 'v' }, groupKey: 'g1', dedupId: null, attempts: 1 });
    expect(typeof claimed[0]!.payload).toBe('string');
    expect(JSON.parse(claimed[0]!.payload)).toEqual({ big: '12345678901234567890', x: [1, 2] });
    expect(typeof claimed[0]!.seq).toBe('string');
    expect(BigInt(claimed[1]!.seq)).toBeGreaterThan(BigInt(claimed[0]!.seq));
    expect(claimed[0]!.createdAt).toBeInstanceOf(Date);
    // The claim reads created_at as epoch ms: the same Date as pg's own timestamptz parser gives.
    const { rows: stored } = await pool.query(`SELECT id::text AS id, created_at FROM outbox WHERE id = ANY($1::uuid[])`, [ids.slice(0, 2)]);
    expect(claimed.map((m) => m.createdAt.getTime())).toEqual(ids.slice(0, 2).map((id) => (stored.find((r) => r.id === id)!.created_at as Date).getTime()));
    expect(claimed[1]!.headers).toEqual({});
    const rows = await rowsById(pool);
    expect(rows.get(ids[0]!)).toMatchObject({ locked_by: 'relay-a', attempts: 1 });
    expect(rows.get(ids[2]!)).toMatchObject({ locked_by: null, attempts: 0 });
    const [{ live }] = (await pool.query(`SELECT locked_until > now() + interval '20 seconds' AS live FROM outbox WHERE id = $1`, [ids[0]])).rows;
    expect(live).toBe(true);
  });

  it('does not hand out leased, delayed, sent or dead rows', async () => {
    const [leased, delayed, sent, dead, free] = await insertRows(pool, [{}, { availableInMs: 60_000 }, {}, {}, {}]);
    await pool.query(`UPDATE outbox SET locked_by = 'other', locked_until = now() + interval '1 minute' WHERE id = $1`, [leased]);
    await pool.query(`UPDATE outbox SET sent_at = now() WHERE id = $1`, [sent]);
    await pool.query(`UPDATE outbox SET dead_at = now() WHERE id = $1`, [dead]);
    const claimed = await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
    expect(claimed.map((m) => m.id)).toEqual([free]);
    expect(delayed).toBeDefined();
  });

  it('uses the pending index, not a scan of sent rows', async () => {
    await pool.query(
      `INSERT INTO outbox (id, subject, payload, sent_at)
       SELECT gen_random_uuid(), 's', '{}', now() FROM generate_series(1, 20000)`,
    );
    await insertMany(pool, 50);
    await pool.query('ANALYZE outbox');
    const plan = async (sql: string) =>
      JSON.stringify((await pool.query(`EXPLAIN (FORMAT JSON) ${sql}`, ['explain', 10, 30000])).rows[0]['QUERY PLAN']);
    const claimSql = await capturedSql((s) => s.claim({ relayId: 'explain', limit: 10, ...lease }));
    const orderedSql = await capturedSql((s) => s.claim({ relayId: 'explain', limit: 10, leaseMs: 30000, ordered: true }));
    for (const sql of [claimSql, orderedSql]) {
      const text = await plan(sql);
      expect(text).toContain('"Index Name":"outbox_pending_idx"');
      expect(text).not.toContain('"Node Type":"Seq Scan"');
    }
  });
});

describe('marks', () => {
  it('markRetry moves available_at to the database clock plus each delay, records the error and clears the lease', async () => {
    const ids = await insertMany(pool, 3);
    await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
    const count = await store.markRetry('relay-a', [
      { id: ids[0]!, delayMs: 60_000, error: 'throttled' },
      { id: ids[1]!, delayMs: 3_600_000, error: 'bad\u0000byte' },
    ]);
    expect(count).toBe(2);
    const rows = await rowsById(pool);
    expect(rows.get(ids[0]!)).toMatchObject({ last_error: 'throttled', locked_by: null, locked_until: null, attempts: 1 });
    expect(rows.get(ids[1]!)).toMatchObject({ last_error: 'bad\uFFFDbyte' });
    expect(await delaysLeft(ids.slice(0, 2))).toEqual([expect.closeTo(60_000, -4), expect.closeTo(3_600_000, -4)]);
    expect(rows.get(ids[2]!)!.locked_by).toBe('relay-a');
    await store.release('relay-a', [ids[2]!]);
    expect((await store.claim({ relayId: 'relay-b', limit: 10, ...lease })).map((m) => m.id)).toEqual([ids[2]]);
  });

  it('markDead sets dead_at and the error; dead rows are not claimed', async () => {
    const ids = await insertMany(pool, 2);
    await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
    expect(await store.markDead('relay-a', [{ id: ids[0]!, error: 'Topic not found' }])).toBe(1);
    const row = (await rowsById(pool)).get(ids[0]!)!;
    expect(row).toMatchObject({ last_error: 'Topic not found', locked_by: null, sent_at: null });
    expect(row.dead_at).toBeInstanceOf(Date);
    await expireLeases(pool, 'relay-a');
    expect((await store.claim({ relayId: 'relay-b', limit: 10, ...lease })).map((m) => m.id)).toEqual([ids[1]]);
  });

  it('release with a delay holds the rows back by the database clock, undoes the attempt and records the error', async () => {
    const ids = await insertMany(pool, 2);
    await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
    expect(await store.release('relay-a', [ids[0]!], { delayMs: 5_000, error: 'route blocked' })).toBe(1);
    expect((await rowsById(pool)).get(ids[0]!)).toMatchObject({ attempts: 0, locked_by: null, last_error: 'route blocked' });
    expect(await delaysLeft([ids[0]!])).toEqual([expect.closeTo(5_000, -4)]);
    await store.release('relay-a', [ids[1]!]);
    expect((await store.claim({ relayId: 'relay-b', limit: 10, ...lease })).map((m) => m.id)).toEqual([ids[1]]);
  });

});

describe('stats', () => {
  it('counts pending, in flight, dead and the oldest pending age', async () => {
    expect(await store.stats()).toEqual({ pending: 0, oldestPendingAgeMs: null, inFlight: 0, dead: 0 });
    const ids = await insertMany(pool, 6);
    await pool.query(`UPDATE outbox SET created_at = now() - interval '90 seconds' WHERE id = $1`, [ids[0]]);
    await pool.query(`UPDATE outbox SET sent_at = now() WHERE id = $1`, [ids[5]]);
    await pool.query(`UPDATE outbox SET dead_at = now() WHERE id = ANY($1::uuid[])`, [[ids[3], ids[4]]]);
    await store.claim({ relayId: 'relay-a', limit: 2, ...lease });
    const stats = await store.stats();
    expect(stats).toMatchObject({ pending: 3, inFlight: 2, dead: 2 });
    expect(stats.oldestPendingAgeMs).toBeGreaterThanOrEqual(90_000);
    expect(stats.oldestPendingAgeMs).toBeLessThan(3_600_000);
  });
});

describe('retention', () => {
  it('deletes only sent rows older than the age, in batches', async () => {
    const old = await insertMany(pool, 25);
    const recent = await insertMany(pool, 3);
    const [pending, dead] = await insertMany(pool, 2);
    await pool.query(`UPDATE outbox SET sent_at = now() - interval '2 days' WHERE id = ANY($1::uuid[])`, [old]);
    await pool.query(`UPDATE outbox SET sent_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])`, [recent]);
    await pool.query(`UPDATE outbox SET dead_at = now() - interval '30 days' WHERE id = $1`, [dead]);
    const statements: string[] = [];
    const spy = new PostgresOutboxStore({ pool: recordingPool(statements) });
    expect(await spy.deleteSent({ olderThanMs: 24 * 3600_000, batchSize: 10 })).toBe(25);
    expect(statements.filter((s) => s.startsWith('DELETE')).length).toBe(3); // 10 + 10 + 5
    const left = await rowsById(pool);
    expect([...left.keys()].sort()).toEqual([...recent, pending, dead].sort());
  });

  it('refuses a bad batch size', async () => {
    await expect(store.deleteSent({ olderThanMs: 1000, batchSize: 0 })).rejects.toMatchObject({ option: 'batchSize' });
  });
});

describe('dead letters', () => {
  async function deadRows() {
    const ids = await insertRows(pool, [{ subject: 'a' }, { subject: 'a' }, { subject: 'b' }, { subject: 'b' }, {}]);
    await store.claim({ relayId: 'r', limit: 10, ...lease });
    await store.markDead('r', ids.slice(0, 4).map((id) => ({ id, error: 'boom' })));
    await store.markSent('r', [ids[4]!]);
    return ids;
  }

  it('requeue by id resets the row as new', async () => {
    const ids = await deadRows();
    expect(await store.requeueDead({ ids: [ids[1]!] })).toBe(1);
    const row = (await rowsById(pool)).get(ids[1]!)!;
    expect(row).toMatchObject({ dead_at: null, last_error: null, attempts: 0, locked_by: null });
    expect((await store.claim({ relayId: 'r2', limit: 10, ...lease })).map((m) => m.id)).toEqual([ids[1]]);
  });

  it('requeue by subject, and all', async () => {
    const ids = await deadRows();
    expect(await store.requeueDead({ subject: 'b' })).toBe(2);
    expect((await store.stats()).dead).toBe(2);
    expect(await store.requeueDead('all')).toBe(2);
    expect(await store.stats()).toMatchObject({ dead: 0, pending: 4 });
    expect((await rowsById(pool)).get(ids[4]!)!.sent_at).not.toBeNull();
  });

  it('lists and purges dead rows; refuses an empty selection', async () => {
    const ids = await deadRows();
    const listed = await store.listDead({ limit: 10 });
    expect(listed.map((d) => d.id).sort()).toEqual(ids.slice(0, 4).sort());
    expect(listed[0]).toMatchObject({ lastError: 'boom', attempts: 1 });
    expect(await store.purgeDead({ subject: 'a' })).toBe(2);
    expect(await store.purgeDead('all')).toBe(2);
    expect((await rowsById(pool)).size).toBe(1);
    await expect(store.requeueDead({})).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'selection' });
  });
});

describe('republish (replay of sent messages)', () => {
  async function sentRows(subjects: string[]) {
    const ids = await insertRows(pool, subjects.map((subject) => ({ subject })));
    await store.claim({ relayId: 'r', limit: 100, ...lease });
    await store.markSent('r', ids);
    return ids;
  }

  it('makes the selected sent rows pending again with their ids and seq, batch by batch', async () => {
    const ids = await sentRows(['pay.created', 'pay.created', 'pay.refunded', 'pay.created', 'other', 'pay.created', 'pay.created']);
    const before = await rowsById(pool);
    expect(await store.countSent({ subject: 'pay.*' })).toBe(6);
    expect(await store.republishSent({ subject: 'pay.created' }, { batchSize: 2 })).toBe(5);
    const after = await rowsById(pool);
    const pending = [...after.values()].filter((r) => r.sent_at === null);
    expect(pending.map((r) => r.id).sort()).toEqual([ids[0], ids[1], ids[3], ids[5], ids[6]].sort());
    for (const row of pending) expect(row).toMatchObject({ attempts: 0, locked_by: null, seq: before.get(row.id)!.seq });
    // Claimed again in the original order.
    expect((await store.claim({ relayId: 'r2', limit: 10, ...lease })).map((m) => m.id)).toEqual([ids[0], ids[1], ids[3], ids[5], ids[6]]);
  });

  it('selects by time range on created_at, never touches pending or dead rows, and refuses an empty selection', async () => {
    const ids = await sentRows(['t', 't', 't']);
    await pool.query(`UPDATE outbox SET created_at = now() - interval '2 hours' WHERE id = $1`, [ids[0]]);
    const [pendingId] = await insertRows(pool, [{ subject: 't' }]);
    const hourAgo = new Date(Date.now() - 3600_000);
    expect(await store.countSent({ until: hourAgo })).toBe(1);
    expect(await store.republishSent({ subject: 't', since: hourAgo })).toBe(2);
    expect((await rowsById(pool)).get(ids[0]!)!.sent_at).not.toBeNull();
    expect(await store.countSent({ ids: [pendingId!] })).toBe(0);
    await expect(store.republishSent({})).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'selection' });
    await expect(store.republishSent({ since: new Date('x') })).rejects.toMatchObject({ name: 'InvalidOptionError' });
  });

  it('purges dead rows in batches until none match', async () => {
    const ids = await insertRows(pool, Array.from({ length: 5 }, () => ({ subject: 'd' })));
    await store.claim({ relayId: 'r', limit: 10, ...lease });
    await store.markDead('r', ids.map((id) => ({ id, error: 'boom' })));
    expect(await store.countDead({ subject: 'd' })).toBe(5);
    expect(await store.purgeDead({ subject: '*' }, { batchSize: 2 })).toBe(5);
    expect((await rowsById(pool)).size).toBe(0);
  });
});

/** A pool that records every statement it runs. */
function recordingPool(statements: string[]) {
  return {
    query: (text: string, values?: unknown[]) => {
      statements.push(text.trim());
      return pool.query(text, values);
    },
    connect: () => pool.connect(),
  };
}

/** The SQL text of the first statement a store operation sends (the operation really runs). */
async function capturedSql(run: (s: PostgresOutboxStore) => Promise<unknown>): Promise<string> {
  const statements: string[] = [];
  await run(new PostgresOutboxStore({ pool: recordingPool(statements) }));
  return statements[0]!;
}
