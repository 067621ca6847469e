import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { TestDatabase } from '@tx-outbox/devkit';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { claimRecovered, createOutboxTable, expireLeases, insertRows } from './fixtures/outboxTable.js';

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
  expect((await claimRecovered(store, 'r3', { ordered: true })).map((m) => [m.id, m.attempts])).toEqual([[a2, 2]]);
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
  // Group a: 60 rows whose head backs off; the walk above the watermark meets its 59 followers first.
  const [a1, ...aRest] = await insertRows(pool, [{ groupKey: 'a', availableInMs: 60_000 }, ...Array.from({ length: 59 }, () => ({ groupKey: 'a' }))]);
  const [b1, c1, free1, b2, , b3, , free2] = await insertRows(pool, [
    { groupKey: 'b' }, { groupKey: 'c' }, {}, { groupKey: 'b' }, { groupKey: 'c', availableInMs: 60_000 },
    { groupKey: 'b' }, { groupKey: 'c' }, {},
  ]);
  // One call: the followers of a are parked on the way, round after round, and the healthy rows come.
  const claimed = await store.claim({ relayId: 'r1', limit: 5, ...ordered });
  expect(claimed.map((m) => m.id)).toEqual([b1, c1, free1, b2, b3]);
  expect((await store.claim({ relayId: 'r2', limit: 5, ...ordered })).map((m) => m.id)).toEqual([free2]);
  // Parked behind their head: they are due exactly when it is.
  const { rows } = await pool.query(
    `SELECT count(*) FILTER (WHERE o.available_at = h.available_at)::int AS parked FROM outbox o, outbox h WHERE h.id = $1 AND o.id = ANY($2::uuid[])`,
    [a1, aRest],
  );
  expect(rows[0].parked).toBe(59);
});

it('a parked group comes out in order once its head is due: head first, then its run', async () => {
  const [a1, a2, a3, a4] = await insertRows(pool, [{ groupKey: 'a', availableInMs: 60_000 }, { groupKey: 'a' }, { groupKey: 'a' }, { groupKey: 'a' }]);
  const [free] = await insertRows(pool, [{}]);
  expect((await store.claim({ relayId: 'r1', limit: 10, ...ordered })).map((m) => m.id)).toEqual([free]);
  await pool.query(`UPDATE outbox SET available_at = now() - interval '1 second' WHERE group_key = 'a'`);
  expect((await store.claim({ relayId: 'r2', limit: 2, ...ordered })).map((m) => m.id)).toEqual([a1, a2]);
  // a3, a4 wait while a1 and a2 are leased; after they are sent the rest follows.
  expect(await store.claim({ relayId: 'r3', limit: 10, ...ordered })).toEqual([]);
  await store.markSent('r2', [a1!, a2!]);
  expect((await store.claim({ relayId: 'r3', limit: 10, ...ordered })).map((m) => m.id)).toEqual([a3, a4]);
});

/** Every statement a store sends, recorded, so a test can EXPLAIN the claim it really sent. */
function recordingStore(): { relay: PostgresOutboxStore; statements: { text: string; values?: unknown[] }[] } {
  const statements: { text: string; values?: unknown[] }[] = [];
  const recording = {
    query: (text: string, values?: unknown[]) => (statements.push({ text, values }), pool.query(text, values)),
    connect: () => pool.connect(),
  };
  return { relay: new PostgresOutboxStore({ pool: recording }), statements };
}

/** Rows the last claim's scans of the outbox read (EXPLAIN ANALYZE, rolled back): kept or filtered, × loops. */
async function rowsReadByLastClaim(statements: readonly { text: string; values?: unknown[] }[]): Promise<number> {
  const claim = [...statements].reverse().find((st) => st.text.trimStart().startsWith('WITH due'))!;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${claim.text}`, claim.values);
    let read = 0;
    const walk = (node: Record<string, unknown>) => {
      if (typeof node['Relation Name'] === 'string' && (node['Relation Name'] as string).startsWith('outbox')) {
        read += (Number(node['Actual Rows']) + Number(node['Rows Removed by Filter'] ?? 0)) * Number(node['Actual Loops']);
      }
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(rows[0]['QUERY PLAN'][0].Plan);
    return read;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

it('behind deep groups whose heads back off, parks their rows once and then claims for a few rows\' reading', async () => {
  // 20 groups of 500 rows, interleaved, then 20 ungrouped rows; every group head backs off.
  await pool.query(
    `INSERT INTO outbox (id, subject, payload, group_key)
     SELECT gen_random_uuid(), 's', '{}', 'g-' || (g % 20) FROM generate_series(1, 10000) AS g`,
  );
  await pool.query('ANALYZE outbox');
  const { relay, statements } = recordingStore();
  const heads = await relay.claim({ relayId: 'r1', limit: 20, ...ordered });
  expect(heads.every((m) => m.groupKey !== null)).toBe(true);
  await relay.markRetry('r1', heads.map((m) => ({ id: m.id, delayMs: 3_600_000, error: 'backing off' })));
  const free = await insertRows(pool, Array.from({ length: 20 }, () => ({})));
  // The 9,980 followers are parked along the way (a few calls, each a bounded number of rounds).
  const claimed: string[] = [];
  for (let call = 0; call < 10 && claimed.length < free.length; call++) claimed.push(...(await relay.claim({ relayId: 'r2', limit: 50, ...ordered })).map((m) => m.id));
  expect(claimed).toEqual(free);
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE available_at IS NULL AND sent_at IS NULL AND locked_by IS NULL`);
  expect(rows[0].n).toBe(0);
  // Now a claim behind them reads only what is new: the blocked groups' rows are never walked again.
  const more = await insertRows(pool, Array.from({ length: 5 }, () => ({})));
  expect((await relay.claim({ relayId: 'r3', limit: 50, ...ordered })).map((m) => m.id)).toEqual(more);
  await pool.query('UPDATE outbox SET locked_by = NULL, locked_until = NULL, attempts = 0 WHERE locked_by = $1', ['r3']);
  expect(await rowsReadByLastClaim(statements)).toBeLessThan(200);
});

it('claims a healthy backlog in seq order from its first rows, reading about what it claims', async () => {
  await pool.query(
    `INSERT INTO outbox (id, subject, payload, group_key)
     SELECT gen_random_uuid(), 's', '{}', 'g-' || (g % 500) FROM generate_series(1, 5000) AS g`,
  );
  await pool.query('ANALYZE outbox');
  const { rows: first } = await pool.query(`SELECT id::text AS id FROM outbox ORDER BY seq LIMIT 50`);
  const { relay, statements } = recordingStore();
  expect((await relay.claim({ relayId: 'r1', limit: 50, ...ordered })).map((m) => m.id)).toEqual(first.map((r) => r.id));
  await pool.query('UPDATE outbox SET locked_by = NULL, locked_until = NULL, attempts = 0 WHERE locked_by = $1', ['r1']);
  expect(await rowsReadByLastClaim(statements)).toBeLessThan(1_000);
});
