// Retention by slots (OutboxMaintenance): a slot whose rows are all older than the retention is emptied
// with TRUNCATE, after its unfinished rows (dead letters, waiting messages) moved to the current slot;
// a reader holding the slot only postpones it; a live lease keeps its row (and so the slot) in place.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { TestDatabase } from '@tx-outbox/devkit';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { OutboxMaintenance, type MaintenanceResult } from '../src/postgres/maintenance/OutboxMaintenance.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { dropOutboxTableDdl, outboxTableDdl } from '../src/postgres/schema/outboxTableDdl.js';
import { insertRows } from './fixtures/outboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;
/** A retention of 2 s: slots of 1 s, a slot is emptied once its newest row is 2 s old. */
const RETENTION_MS = 2_000;
const lease = { leaseMs: 60_000, ordered: false };

beforeAll(async () => {
  db = await openTestDatabase('outbox_maintenance');
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});
beforeEach(async () => {
  for (const statement of dropOutboxTableDdl()) await pool.query(statement);
  for (const statement of outboxTableDdl({ retentionMs: RETENTION_MS })) await pool.query(statement);
});

const slotOf = async (id: string) => Number((await pool.query('SELECT slot FROM outbox WHERE id = $1', [id])).rows[0]?.slot);
const sizeOf = async (slot: number) => Number((await pool.query(`SELECT pg_relation_size('outbox_p${slot}') AS n`)).rows[0].n);

/** Runs maintenance until `done` says so (for at most 15 s: a slot becomes due within 3 s here). */
async function runUntil(maintenance: OutboxMaintenance, done: (results: MaintenanceResult[]) => boolean): Promise<MaintenanceResult[]> {
  const results: MaintenanceResult[] = [];
  const deadline = Date.now() + 15_000;
  while (!done(results)) {
    if (Date.now() > deadline) throw new Error(`maintenance did not get there: ${JSON.stringify(results.slice(-3))}`);
    results.push(await maintenance.run());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return results;
}

it('empties a slot once its rows are old, moving its dead and waiting rows to the current slot first', async () => {
  const store = new PostgresOutboxStore({ pool });
  const [sent1, sent2, dead, waiting] = await insertRows(pool, [{ subject: 'sent' }, { subject: 'sent' }, { subject: 'dead' }, { subject: 'waiting' }]);
  await store.claim({ relayId: 'r', limit: 10, ...lease });
  await store.markSent('r', [sent1!, sent2!]);
  await store.markDead('r', [{ id: dead!, error: 'poison' }]);
  await store.markRetry('r', [{ id: waiting!, delayMs: 3_600_000, error: 'backing off' }]);
  const slot = await slotOf(sent1!);
  expect(await sizeOf(slot)).toBeGreaterThan(0);
  const results = await runUntil(new OutboxMaintenance({ pool }), (r) => r.some((x) => x.emptiedSlots.includes(slot)));
  expect(results.reduce((n, r) => n + r.movedRows, 0)).toBe(2);
  expect(await sizeOf(slot)).toBe(0);
  const { rows } = await pool.query('SELECT id::text AS id, subject, slot, dead_at IS NOT NULL AS dead, last_error, available_at > now() AS waiting FROM outbox ORDER BY seq');
  expect(rows.map((r) => [r.id, r.subject, r.dead, r.last_error, r.waiting])).toEqual([
    [dead, 'dead', true, 'poison', null],
    [waiting, 'waiting', false, 'backing off', true],
  ]);
  expect(rows.every((r) => r.slot !== slot)).toBe(true);
});

it('waits for a reader that holds the slot, then empties it', async () => {
  const store = new PostgresOutboxStore({ pool });
  const [id] = await insertRows(pool, [{}]);
  await store.claim({ relayId: 'r', limit: 10, ...lease });
  await store.markSent('r', [id!]);
  const slot = await slotOf(id!);
  const reader = await pool.connect();
  try {
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query(`SELECT count(*) FROM outbox_p${slot}`);
    const results = await runUntil(new OutboxMaintenance({ pool }), (r) => r.some((x) => x.busySlots.includes(slot)));
    expect(results.some((r) => r.emptiedSlots.includes(slot))).toBe(false);
    expect(await sizeOf(slot)).toBeGreaterThan(0);
  } finally {
    await reader.query('COMMIT');
    reader.release();
  }
  await runUntil(new OutboxMaintenance({ pool }), (r) => r.some((x) => x.emptiedSlots.includes(slot)));
  expect(await sizeOf(slot)).toBe(0);
});

it('leaves a slot alone while a relay holds a live lease in it; empties it once the row is sent', async () => {
  const store = new PostgresOutboxStore({ pool });
  const [id] = await insertRows(pool, [{}]);
  await store.claim({ relayId: 'r', limit: 10, ...lease });
  const slot = await slotOf(id!);
  const maintenance = new OutboxMaintenance({ pool });
  // Until the slot is old and no longer current, then a few runs more: the leased row stays where it is.
  await runUntil(maintenance, (r) => r.filter((x) => x.movedRows === 0 && x.emptiedSlots.length === 0).length >= 40);
  expect(await slotOf(id!)).toBe(slot);
  expect(await store.markSent('r', [id!])).toBe(1);
  await runUntil(maintenance, (r) => r.some((x) => x.emptiedSlots.includes(slot)));
  expect((await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(0);
});

it('keeps everything when the table keeps messages forever (retention 0)', async () => {
  for (const statement of dropOutboxTableDdl()) await pool.query(statement);
  for (const statement of outboxTableDdl({ retentionMs: 0 })) await pool.query(statement);
  const [id] = await insertRows(pool, [{}]);
  await pool.query('UPDATE outbox SET sent_at = now(), created_at = now() - interval \'30 days\' WHERE id = $1', [id]);
  expect(await slotOf(id!)).toBe(0);
  expect(await new OutboxMaintenance({ pool }).run()).toMatchObject({ emptiedSlots: [], movedRows: 0 });
  expect((await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(1);
});

it('refuses to run on a missing table, naming the migration', async () => {
  await expect(new OutboxMaintenance({ pool, tableName: 'no_such' }).run()).rejects.toMatchObject({ name: 'OutboxTableError', problem: 'missing' });
});
