import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { createOutboxTable, expireLeases, insertRows } from './fixtures/outboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;
let store: PostgresOutboxStore;
const ordered = { leaseMs: 30_000, ordered: true };

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'outbox_ordered');
  pool = new pg.Pool({ connectionString: db.url, max: 12 });
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

it('takes each group head with its run, and ungrouped rows freely', async () => {
  const ids = await insertRows(pool, [{ groupKey: 'a' }, { groupKey: 'b' }, { groupKey: 'a' }, {}, { groupKey: 'b' }]);
  const claimed = await store.claim({ relayId: 'r1', limit: 10, ...ordered });
  expect(claimed.map((m) => m.id)).toEqual(ids);
  expect(await store.claim({ relayId: 'r2', limit: 10, ...ordered })).toEqual([]);
});

it('skips a group whose head is leased, and one whose head is backing off', async () => {
  const [a1, a2, b1, b2, c1, c2, free] = await insertRows(pool, [
    { groupKey: 'a' }, { groupKey: 'a' }, { groupKey: 'b', availableInMs: 60_000 }, { groupKey: 'b' },
    { groupKey: 'c' }, { groupKey: 'c' }, {},
  ]);
  await pool.query(`UPDATE outbox SET locked_by = 'other', locked_until = now() + interval '1 minute' WHERE id = $1`, [a1]);
  const claimed = await store.claim({ relayId: 'r1', limit: 10, ...ordered });
  expect(claimed.map((m) => m.id)).toEqual([c1, c2, free]);
  expect([a2, b1, b2]).not.toContain(claimed[0]!.id);
});

it('stops a group run at a gap (a later row backing off) and takes only the rows before it', async () => {
  const [a1, a2, , a4] = await insertRows(pool, [{ groupKey: 'a' }, { groupKey: 'a' }, { groupKey: 'a', availableInMs: 60_000 }, { groupKey: 'a' }]);
  expect((await store.claim({ relayId: 'r1', limit: 10, ...ordered })).map((m) => m.id)).toEqual([a1, a2]);
  expect(a4).toBeDefined();
});

it('hands out the next rows of a group only after the previous ones are marked', async () => {
  const [a1, a2, a3] = await insertRows(pool, [{ groupKey: 'a' }, { groupKey: 'a' }, { groupKey: 'a' }]);
  expect((await store.claim({ relayId: 'r1', limit: 1, ...ordered })).map((m) => m.id)).toEqual([a1]);
  expect(await store.claim({ relayId: 'r2', limit: 10, ...ordered })).toEqual([]);
  await store.markSent('r1', [a1!]);
  expect((await store.claim({ relayId: 'r2', limit: 10, ...ordered })).map((m) => m.id)).toEqual([a2, a3]);
});

it('a dead head no longer blocks its group; an expired lease is reclaimable in order', async () => {
  const [a1, a2] = await insertRows(pool, [{ groupKey: 'a' }, { groupKey: 'a' }]);
  await store.claim({ relayId: 'r1', limit: 1, ...ordered });
  await store.markDead('r1', [{ id: a1!, error: 'bad' }]);
  expect((await store.claim({ relayId: 'r2', limit: 10, ...ordered })).map((m) => m.id)).toEqual([a2]);
  await expireLeases(pool, 'r2');
  expect((await store.claim({ relayId: 'r3', limit: 10, ...ordered })).map((m) => [m.id, m.attempts])).toEqual([[a2, 2]]);
});

it('many concurrent ordered claims never hold two parts of one group at once', async () => {
  const specs = Array.from({ length: 600 }, (_, i) => ({ groupKey: `g${i % 15}` }));
  await insertRows(pool, specs);
  for (let round = 0; round < 5; round++) {
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.claim({ relayId: `relay-${round}-${i}`, limit: 7, ...ordered })),
    );
    const holders = new Map<string, Set<string>>();
    claims.forEach((batch, i) => {
      for (const m of batch) holders.set(m.groupKey!, (holders.get(m.groupKey!) ?? new Set()).add(String(i)));
    });
    expect([...holders.values()].every((h) => h.size === 1)).toBe(true);
    // Each relay's share of a group is that group's lowest pending seqs.
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM outbox o
        WHERE o.locked_by IS NOT NULL AND EXISTS (
          SELECT 1 FROM outbox p WHERE p.group_key = o.group_key AND p.seq < o.seq AND p.sent_at IS NULL AND p.locked_by IS NULL)`,
    );
    expect(rows[0].n).toBe(0);
    await Promise.all(claims.map((batch, i) => store.markSent(`relay-${round}-${i}`, batch.map((m) => m.id))));
  }
});
