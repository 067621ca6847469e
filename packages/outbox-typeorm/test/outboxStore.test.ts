// What every outbox store must do (claims, leases, fencing, marks, stats) is in the contract suite
// (storeContracts.test.ts); these are the PostgreSQL store's own columns, SQL, watermark and index use.
// The operator's commands are in outboxAdmin.test.ts, retention in outboxMaintenance.test.ts.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@tx-outbox/devkit';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { claimRecovered, createOutboxTable, expireLeases, insertMany, insertRows, rowsById } from './fixtures/outboxTable.js';
import { outboxTableDdl } from '../src/postgres/schema/outboxTableDdl.js';
import { LONG_TRANSACTION_MS } from '../src/postgres/outboxStore/ClaimWatermark.js';
import { FRESH_WALK_LIMIT } from '../src/postgres/outboxStore/readStats.js';

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

  it('refuses an ordered claim on a table without the ordered indexes, naming the fix', async () => {
    for (const statement of outboxTableDdl({ tableName: 'unordered' })) await pool.query(statement);
    const plain = new PostgresOutboxStore({ pool, tableName: 'unordered' });
    await expect(plain.claim({ relayId: 'a', limit: 10, leaseMs: 1000, ordered: true })).rejects.toMatchObject({
      name: 'OutboxTableError',
      problem: 'no-ordered-indexes',
      message: expect.stringContaining('OUTBOX_ORDERED=true'),
    });
    expect(await plain.claim({ relayId: 'a', limit: 10, leaseMs: 1000, ordered: false })).toEqual([]);
  });

  it('names the migration to run when the table is missing', async () => {
    const missing = new PostgresOutboxStore({ pool, tableName: 'no_such_outbox' });
    await expect(missing.claim({ relayId: 'a', limit: 1, ...lease })).rejects.toMatchObject({
      name: 'OutboxTableError',
      problem: 'missing',
      message: expect.stringContaining('outbox-relay migrate'),
    });
  });

  it('hands a message whose lease ran out to the next claim after the sweep, the try counted', async () => {
    const [id] = await insertMany(pool, 1);
    await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
    await expireLeases(pool, 'relay-a');
    const again = await claimRecovered(store, 'relay-b');
    expect(again.map((m) => [m.id, m.attempts])).toEqual([[id, 2]]);
    // The expired lease was cleared, so the late relay's mark changes nothing.
    expect(await store.markSent('relay-a', [id!])).toBe(0);
  });
});

describe('watermark', () => {
  it('claims the first message of a fresh table after empty claims (the sequence has drawn nothing yet)', async () => {
    for (const statement of outboxTableDdl({ tableName: 'fresh_start' })) await pool.query(statement);
    const fresh = new PostgresOutboxStore({ pool, tableName: 'fresh_start' });
    for (let i = 0; i < 3; i++) expect(await fresh.claim({ relayId: 'r', limit: 10, ...lease })).toEqual([]);
    const { rows } = await pool.query(`INSERT INTO fresh_start (id, subject, payload) VALUES (gen_random_uuid(), 'first', '{}') RETURNING id::text AS id, seq`);
    expect(rows[0].seq).toBe('1');
    expect((await fresh.claim({ relayId: 'r', limit: 10, ...lease })).map((m) => m.id)).toEqual([rows[0].id]);
  });

  it('never reads again the rows it passed, even while a snapshot keeps their dead versions', async () => {
    const { store: relay, statements } = recordingStore();
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT count(*) FROM outbox');
      for (let round = 0; round < 20; round++) {
        await insertMany(pool, 250);
        const claimed = await relay.claim({ relayId: 'relay-a', limit: 250, ...lease });
        await relay.markSent('relay-a', claimed.map((m) => m.id));
      }
      // Empty claims, so the watermark settles past the last round.
      await relay.claim({ relayId: 'relay-a', limit: 250, ...lease });
      await relay.claim({ relayId: 'relay-a', limit: 250, ...lease });
      await insertMany(pool, 10);
      await relay.claim({ relayId: 'relay-a', limit: 0, ...lease });
      expect(await relay.claim({ relayId: 'relay-a', limit: 10, ...lease })).toHaveLength(10);
      await pool.query(`UPDATE outbox SET locked_by = NULL, locked_until = NULL, attempts = 0 WHERE locked_by = 'relay-a' AND sent_at IS NULL`);
      const explain = await explainLastClaim(statements);
      // 5,000 messages passed, each leaving versions the held snapshot keeps; the claim reads a few pages.
      expect(explain.buffers).toBeLessThan(200);
      expect(explain.plan).not.toMatch(/Seq Scan on outbox_p/);
      expect(explain.rows).toBe(10);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('waits for a producer transaction that drew a seq and committed after later rows were claimed', async () => {
    const late = await pool.connect();
    try {
      await late.query('BEGIN');
      const [lateId] = await insertMany(late as unknown as pg.Pool, 1);
      const early = await insertMany(pool, 5);
      expect((await store.claim({ relayId: 'relay-a', limit: 10, ...lease })).map((m) => m.id)).toEqual(early);
      expect(await store.claim({ relayId: 'relay-a', limit: 10, ...lease })).toEqual([]);
      await late.query('COMMIT');
      expect((await store.claim({ relayId: 'relay-a', limit: 10, ...lease })).map((m) => m.id)).toEqual([lateId]);
    } finally {
      late.release();
    }
  });

  it('passes a transaction open for long, and still publishes its row once it commits', async () => {
    const late = await pool.connect();
    try {
      await late.query('BEGIN');
      const [lateId] = await insertMany(late as unknown as pg.Pool, 1);
      const started = Date.now();
      let passed = 0;
      // Claims go on past LONG_TRANSACTION_MS; the watermark then passes the open transaction.
      while (Date.now() - started < LONG_TRANSACTION_MS + 500) {
        const ids = await insertMany(pool, 3);
        const claimed = await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
        expect(claimed.map((m) => m.id)).toEqual(ids);
        passed += claimed.length;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(passed).toBeGreaterThan(0);
      await late.query('COMMIT');
      expect((await claimRecovered(store, 'relay-a')).map((m) => m.id)).toEqual([lateId]);
    } finally {
      late.release();
    }
  });

  it('persists the floor, and a new store starts from it instead of the table\'s history', async () => {
    const ids = await insertMany(pool, 50);
    const claimed = await store.claim({ relayId: 'relay-a', limit: 50, ...lease });
    await store.markSent('relay-a', claimed.map((m) => m.id));
    const maxSeq = BigInt(claimed.at(-1)!.seq);
    // Claims settle the watermark; a sweep (at most once a second) moves and persists the floor.
    const floor = async () => BigInt((await pool.query('SELECT last_value::text AS v FROM outbox_floor')).rows[0].v);
    const deadline = Date.now() + 5_000;
    while ((await floor()) < maxSeq && Date.now() < deadline) {
      await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await floor()).toBeGreaterThanOrEqual(maxSeq);
    const { store: fresh, statements } = recordingStore();
    const [next] = await insertMany(pool, 1);
    expect((await fresh.claim({ relayId: 'relay-b', limit: 10, ...lease })).map((m) => m.id)).toEqual([next]);
    // Its first claim walked from the persisted floor, past the 50 rows sent before.
    const firstClaim = statements.find((st) => st.text.startsWith('WITH due'))!;
    expect(BigInt(firstClaim.values![3] as string)).toBeGreaterThanOrEqual(maxSeq);
    expect(ids).toHaveLength(50);
  });

  it('leases and marks sent with heap-only updates (no index entries)', async () => {
    await pool.query('SELECT pg_stat_reset()');
    for (let round = 0; round < 5; round++) {
      await insertMany(pool, 40);
      const claimed = await store.claim({ relayId: 'relay-a', limit: 40, ...lease });
      await store.markSent('relay-a', claimed.map((m) => m.id));
    }
    await pool.query('SELECT pg_stat_force_next_flush()');
    const { rows: [stat] } = await pool.query(
      `SELECT sum(n_tup_upd)::int AS upd, sum(n_tup_hot_upd)::int AS hot FROM pg_stat_user_tables WHERE relname LIKE 'outbox_p%'`,
    );
    expect(stat.upd).toBeGreaterThanOrEqual(400);
    // A burst fills pages faster than pruning frees them; with an index on any of these columns it would be 0.
    expect(stat.hot / stat.upd).toBeGreaterThan(0.5);
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

  it('a message sent after a failed try keeps no last_error', async () => {
    const [id] = await insertMany(pool, 1);
    await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
    expect(await store.markRetry('relay-a', [{ id: id!, delayMs: 0, error: 'throttled' }])).toBe(1);
    expect((await rowsById(pool)).get(id!)).toMatchObject({ last_error: 'throttled', sent_at: null });
    expect((await claimRecovered(store, 'relay-b')).map((m) => m.id)).toEqual([id]);
    expect(await store.markSent('relay-b', [id!])).toBe(1);
    const row = (await rowsById(pool)).get(id!)!;
    expect(row.sent_at).not.toBeNull();
    expect(row).toMatchObject({ last_error: null, attempts: 2, locked_by: null });
  });

  it('markDead sets dead_at and the error; dead rows are not claimed', async () => {
    const ids = await insertMany(pool, 2);
    await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
    expect(await store.markDead('relay-a', [{ id: ids[0]!, error: 'Topic not found' }])).toBe(1);
    const row = (await rowsById(pool)).get(ids[0]!)!;
    expect(row).toMatchObject({ last_error: 'Topic not found', locked_by: null, sent_at: null });
    expect(row.dead_at).toBeInstanceOf(Date);
    await expireLeases(pool, 'relay-a');
    expect((await claimRecovered(store, 'relay-b')).map((m) => m.id)).toEqual([ids[1]]);
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
  it('beyond the exact-count limit reports estimates, flagged approximate, in a statement a 50 ms timeout allows', async () => {
    await pool.query(
      `INSERT INTO outbox (id, subject, payload, available_at, attempts) SELECT gen_random_uuid(), 'waiting', '{}', now() + interval '1 hour', 1 FROM generate_series(1, 3000)`,
    );
    // A running relay's floor passes waiting rows (the waiting index finds them): claim until it did.
    const { rows: [{ top }] } = await pool.query(`SELECT max(seq)::text AS top FROM outbox`);
    const floor = async () => BigInt((await pool.query('SELECT last_value::text AS v FROM outbox_floor')).rows[0].v);
    const deadline = Date.now() + 5_000;
    while ((await floor()) < BigInt(top) && Date.now() < deadline) {
      await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await insertMany(pool, 1500);
    await pool.query('ANALYZE outbox');
    const client = await pool.connect();
    try {
      await client.query(`SET statement_timeout = '50ms'`);
      const timed = new PostgresOutboxStore({ pool: { query: (text: string, values?: unknown[]) => client.query(text, values), connect: () => pool.connect() } });
      const stats = await timed.stats();
      expect(stats.approximate).toBe(true);
      // Estimates of 4,500 pending (1,500 that never waited, 3,000 waiting): each within 20 %.
      expect(stats.pending).toBeGreaterThan(3_600);
      expect(stats.pending).toBeLessThan(5_400);
      expect(stats.oldestPendingAgeMs).not.toBeNull();
    } finally {
      await client.query('RESET statement_timeout');
      client.release();
    }
  });

  it('counts a retried message claimed again as in flight, with rows backing off behind it', async () => {
    const [retried] = await insertMany(pool, 1);
    await store.claim({ relayId: 'relay-a', limit: 10, ...lease });
    await store.markRetry('relay-a', [{ id: retried!, delayMs: 0, error: 'throttled' }]);
    await pool.query(
      `INSERT INTO outbox (id, subject, payload, available_at, attempts) SELECT gen_random_uuid(), 'waiting', '{}', now() + interval '1 hour', 1 FROM generate_series(1, 3000)`,
    );
    expect((await claimRecovered(store, 'relay-b')).map((m) => m.id)).toEqual([retried]);
    // Among the first rows by available_at (where a lease's end sorts ahead of an hour's backoff).
    expect((await store.stats()).inFlight).toBe(1);
  });

  it('walks at most FRESH_WALK_LIMIT rows above a floor that lags behind rows backing off', async () => {
    await pool.query(
      `INSERT INTO outbox (id, subject, payload, available_at, attempts) SELECT gen_random_uuid(), 'waiting', '{}', now() + interval '1 hour', 1 FROM generate_series(1, 12000)`,
    );
    await insertMany(pool, 300);
    await pool.query('ANALYZE outbox');
    // A store that just started knows no floor: every waiting row lies above it.
    const recorded = recordingStore();
    const stats = await recorded.store.stats();
    expect(stats.approximate).toBe(true);
    // An estimate from the seq span, which also holds what earlier tests drew: never below the truth.
    expect(stats.pending).toBeGreaterThanOrEqual(12_300 * 0.9);
    // Planned as on a large table (no sequential or bitmap scans, which read a small table whole), no
    // node of the statement reads more rows than the walk's limit.
    const statement = recorded.statements.find((st) => st.text.includes('fresh_span'))!;
    const client = await pool.connect();
    try {
      await client.query('SET enable_seqscan = off; SET enable_bitmapscan = off');
      const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.values);
      const read = (node: PlanNode): number[] => [Number(node['Actual Rows'] ?? 0) + Number(node['Rows Removed by Filter'] ?? 0), ...(node.Plans ?? []).flatMap(read)];
      expect(Math.max(...read(rows[0]['QUERY PLAN'][0].Plan))).toBeLessThanOrEqual(FRESH_WALK_LIMIT);
    } finally {
      await client.query('RESET enable_seqscan; RESET enable_bitmapscan');
      client.release();
    }
  });

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

interface PlanNode {
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** A pool that records every statement it runs. */
function recordingPool(statements: { text: string; values?: unknown[] }[]) {
  return {
    query: (text: string, values?: unknown[]) => {
      statements.push({ text: text.trim(), values });
      return pool.query(text, values);
    },
    connect: () => pool.connect(),
  };
}

/** A store whose statements are recorded, so a test can EXPLAIN the claim it really sent. */
function recordingStore(): { store: PostgresOutboxStore; statements: { text: string; values?: unknown[] }[] } {
  const statements: { text: string; values?: unknown[] }[] = [];
  return { store: new PostgresOutboxStore({ pool: recordingPool(statements) }), statements };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the last claim statement recorded, with its own parameters (the
 * watermark it was sent with), in a transaction that is rolled back.
 */
async function explainLastClaim(statements: readonly { text: string; values?: unknown[] }[]) {
  const claim = [...statements].reverse().find((s) => s.text.startsWith('WITH due'))!;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${claim.text}`, claim.values);
    const plan = rows[0]['QUERY PLAN'][0];
    return { plan: JSON.stringify(plan), buffers: Number(plan.Plan['Shared Hit Blocks'] ?? 0) + Number(plan.Plan['Shared Read Blocks'] ?? 0), rows: Number(plan.Plan['Actual Rows']) };
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}
