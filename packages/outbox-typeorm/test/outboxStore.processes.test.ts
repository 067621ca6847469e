// The multi-process checks, each relay a real child process (test/fixtures/relayProcess.mjs,
// which imports the built dist/): no message published twice, a killed relay's claim taken over after
// its lease, and per-group order across relays.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { createOutboxTable, insertMany, insertRows } from './fixtures/outboxTable.js';

const script = fileURLToPath(new URL('./fixtures/relayProcess.mjs', import.meta.url));
let db: TestDatabase;
let pool: pg.Pool;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'outbox_processes');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await createOutboxTable(pool);
  await pool.query(`CREATE TABLE published (n bigint GENERATED ALWAYS AS IDENTITY, id uuid, relay text, seq bigint, group_key text)`);
});

beforeEach(async () => {
  await pool.query('TRUNCATE outbox, published');
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

function relay(relayId: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, DATABASE_URL: db.url, RELAY_ID: relayId, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}

it('three relay processes drain 3,000 messages, each published exactly once', async () => {
  await insertMany(pool, 3000);
  const relays = ['relay-1', 'relay-2', 'relay-3'].map((id) => relay(id, { BATCH: '40' }));
  expect(await Promise.all(relays.map(exitCode))).toEqual([0, 0, 0]);
  const { rows } = await pool.query(
    `SELECT count(*)::int AS published, count(DISTINCT id)::int AS distinct_ids, count(DISTINCT relay)::int AS relays,
            (SELECT count(*)::int FROM outbox WHERE sent_at IS NULL) AS unsent
       FROM published`,
  );
  expect(rows[0]).toEqual({ published: 3000, distinct_ids: 3000, relays: 3, unsent: 0 });
});

it('a relay killed after claiming: its rows are published by another after the lease; its late mark changes nothing', async () => {
  const ids = await insertMany(pool, 30);
  const doomed = relay('doomed', { MODE: 'claim-and-hang', LEASE_MS: '1500', BATCH: '20' });
  const [line] = (await once(createInterface({ input: doomed.stdout! }), 'line')) as [string];
  const claimed: string[] = JSON.parse(line).claimed;
  expect(claimed).toEqual(ids.slice(0, 20));
  doomed.kill('SIGKILL');
  await exitCode(doomed);

  expect(await exitCode(relay('survivor', { BATCH: '7' }))).toBe(0);
  const { rows } = await pool.query(`SELECT id::text AS id, relay FROM published ORDER BY n`);
  expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
  expect(new Set(rows.map((r) => r.relay))).toEqual(new Set(['survivor']));
  const { rows: attempts } = await pool.query(`SELECT attempts, count(*)::int AS n FROM outbox GROUP BY attempts ORDER BY attempts`);
  expect(attempts).toEqual([{ attempts: 1, n: 10 }, { attempts: 2, n: 20 }]);

  const store = new PostgresOutboxStore({ pool });
  expect(await store.markDead('doomed', claimed.map((id) => ({ id, error: 'late' })))).toBe(0);
  expect(await store.markRetry('doomed', claimed.map((id) => ({ id, delayMs: 0, error: 'late' })))).toBe(0);
  const { rows: after } = await pool.query(
    `SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NOT NULL AND dead_at IS NULL AND last_error IS NULL AND locked_by IS NULL`,
  );
  expect(after[0].n).toBe(30);
});

// The claim finds rows past its first 4 × batch by a scan of the groups when there are at most 20 × batch
// of them (20 groups, batch 12), else by walking on (30 groups, batch 1); the groups other relays hold
// send every claim down one of these ways (claimOrderedMessages.ts).
it.each([
  { groups: 20, batch: 12 },
  { groups: 30, batch: 1 },
])('ordered mode with three relay processes: per group, publish order equals seq order ($groups groups, batch $batch)', async ({ groups, batch }) => {
  await insertRows(pool, Array.from({ length: groups * 30 }, (_, i) => ({ groupKey: `group-${i % groups}` })));
  const relays = ['o-1', 'o-2', 'o-3'].map((id) => relay(id, { ORDERED: '1', BATCH: String(batch) }));
  expect(await Promise.all(relays.map(exitCode))).toEqual([0, 0, 0]);
  const { rows } = await pool.query<{ group_key: string; seqs: string[]; relays: number }>(
    `SELECT group_key, array_agg(seq::text ORDER BY n) AS seqs, count(DISTINCT relay)::int AS relays
       FROM published GROUP BY group_key`,
  );
  expect(rows).toHaveLength(groups);
  for (const row of rows) {
    const seqs = row.seqs.map(Number);
    expect(seqs).toHaveLength(30);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }
  // The groups really were shared between processes, or the check above would prove little.
  expect(rows.some((r) => r.relays > 1)).toBe(true);
  const { rows: left } = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
  expect(left[0].n).toBe(0);
});
