import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { TestDatabase } from '@tx-outbox/devkit';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { claimOrderedMessages } from '../src/postgres/outboxStore/claimOrderedMessages.js';
import type { SqlExecutor } from '../src/postgres/SqlExecutor.js';
import { createOutboxTable, expireLeases, insertRows } from './fixtures/outboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;
let store: PostgresOutboxStore;
const ordered = { leaseMs: 30_000, ordered: true };

beforeAll(async () => {
  db = await openTestDatabase('outbox_ordered');
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
  const [a1, a2,, a4] = await insertRows(pool, [{ groupKey: 'a' }, { groupKey: 'a' }, { groupKey: 'a', availableInMs: 60_000 }, { groupKey: 'a' }]);
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

it('past a prefix of blocked groups, takes the healthy groups\' runs and the free rows in seq order', async () => {
  // Group a: 60 rows whose head backs off, so the first 4 × limit claimable rows all lie behind its block.
  await insertRows(pool, [{ groupKey: 'a', availableInMs: 60_000 }, ...Array.from({ length: 59 }, () => ({ groupKey: 'a' }))]);
  const [b1, c1, free1, b2, , b3, , free2] = await insertRows(pool, [
    { groupKey: 'b' }, { groupKey: 'c' }, {}, { groupKey: 'b' }, { groupKey: 'c', availableInMs: 60_000 },
    { groupKey: 'b' }, { groupKey: 'c' }, {},
  ]);
  const claimed = await store.claim({ relayId: 'r1', limit: 5, ...ordered });
  expect(claimed.map((m) => m.id)).toEqual([b1, c1, free1, b2, b3]);
  expect((await store.claim({ relayId: 'r2', limit: 5, ...ordered })).map((m) => m.id)).toEqual([free2]);
});

/** The plan nodes of the ordered claim statement, run with EXPLAIN ANALYZE (its effects are rolled back). */
async function claimPlan(limit: number): Promise<PlanNode[]> {
  let statement = '';
  const recording = { query: async (text: string) => ((statement = text), { rows: [] }) };
  await claimOrderedMessages(recording as unknown as SqlExecutor, 'outbox', { relayId: 'probe', limit, leaseMs: 30_000 });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`, ['explain', limit, 30_000]);
    const nodes: PlanNode[] = [];
    const walk = (node: Record<string, unknown>) => {
      nodes.push(node as PlanNode);
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(rows[0]['QUERY PLAN'][0].Plan);
    return nodes;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

type PlanNode = {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Loops': number;
  'Actual Rows': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
};

/** Rows the statement's scans of the outbox table read, kept or filtered out (EXPLAIN's per-loop figures × loops). */
const rowsRead = (nodes: PlanNode[]) =>
  nodes
    .filter((n) => n['Relation Name'] === 'outbox')
    .reduce((sum, n) => sum + (n['Actual Rows'] + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) * n['Actual Loops'], 0);

it('stays cheap behind deep groups whose heads back off: reads a small fraction of the blocked groups\' rows, no node runs per row walked', async () => {
  // 20 groups of 500 rows, interleaved, then 20 ungrouped rows; every group head backs off.
  await pool.query(
    `INSERT INTO outbox (id, subject, payload, group_key)
     SELECT gen_random_uuid(), 's', '{}', 'g-' || (g % 20) FROM generate_series(1, 10000) AS g`,
  );
  const free = await insertRows(pool, Array.from({ length: 20 }, () => ({})));
  const heads = await store.claim({ relayId: 'r1', limit: 20, ...ordered });
  expect(heads.every((m) => m.groupKey !== null)).toBe(true);
  await store.markRetry('r1', heads.map((m) => ({ id: m.id, delayMs: 3_600_000, error: 'backing off' })));
  await pool.query('ANALYZE outbox');

  expect((await store.claim({ relayId: 'r2', limit: 50, ...ordered })).map((m) => m.id)).toEqual(free);
  await pool.query('UPDATE outbox SET locked_by = NULL, locked_until = NULL WHERE locked_by = $1', ['r2']);

  const nodes = await claimPlan(50);
  // Walking on in seq order read all 10,000 rows of the blocked groups. The groups are found by a loose
  // index scan of the group index (one descent per group), so a blocked group costs the same whatever
  // its depth, and the free rows come from their own index.
  expect(rowsRead(nodes)).toBeLessThan(1_000);
  expect(nodes.some((n) => n['Node Type'] === 'Recursive Union' && n['Actual Loops'] === 1)).toBe(true);
  expect(nodes.some((n) => n['Index Name'] === 'outbox_free_pending_idx' && n['Actual Loops'] === 1)).toBe(true);
  expect(Math.max(...nodes.map((n) => n['Actual Loops']))).toBeLessThanOrEqual(50);
});

it('claims a healthy backlog from its first rows: the scan of the groups does not run', async () => {
  await pool.query(
    `INSERT INTO outbox (id, subject, payload, group_key)
     SELECT gen_random_uuid(), 's', '{}', 'g-' || (g % 500) FROM generate_series(1, 5000) AS g`,
  );
  await pool.query('ANALYZE outbox');
  const nodes = await claimPlan(50);
  expect(nodes.some((n) => n['Index Name'] === 'outbox_pending_idx' && n['Actual Loops'] === 1)).toBe(true);
  expect(nodes.filter((n) => n['Node Type'] === 'Recursive Union').map((n) => n['Actual Loops'])).toEqual([0]);
  expect(rowsRead(nodes)).toBeLessThan(1_000);
});

it('behind a deep blocked group and more groups than the group scan may visit, walks on and claims in seq order', async () => {
  // Limit 2: the prefix is 8 claimable rows, the group scan stops past 40 groups; here 51 groups.
  await insertRows(pool, [{ groupKey: 'a', availableInMs: 60_000 }, ...Array.from({ length: 29 }, () => ({ groupKey: 'a' }))]);
  const [s1, s2] = await insertRows(pool, Array.from({ length: 50 }, (_, i) => ({ groupKey: `s${i}` })));
  await pool.query('ANALYZE outbox');
  expect((await store.claim({ relayId: 'r1', limit: 2, ...ordered })).map((m) => m.id)).toEqual([s1, s2]);
  await pool.query('UPDATE outbox SET locked_by = NULL, locked_until = NULL WHERE locked_by = $1', ['r1']);
  const scans = (await claimPlan(2)).filter((n) => n['Node Type'] === 'Recursive Union');
  expect(scans.map((n) => [n['Actual Loops'], n['Actual Rows']])).toEqual([[1, 41]]);
});
