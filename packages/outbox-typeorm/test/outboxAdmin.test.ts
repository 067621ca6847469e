// The operator's commands (OutboxAdmin): dead letters listed, requeued and purged along the dead index,
// sent messages republished along a seq range, each in batches; dry runs and the confirmation threshold.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@tx-outbox/devkit';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { OutboxAdmin } from '../src/admin/OutboxAdmin.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { claimRecovered, createOutboxTable, insertRows, rowsById } from './fixtures/outboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;
let store: PostgresOutboxStore;
const lease = { leaseMs: 30_000, ordered: false };

beforeAll(async () => {
  db = await openTestDatabase('outbox_admin');
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

/** Statements sent through an admin, recorded. */
function recordingAdmin(batchSize: number, statements: string[], confirmAbove?: number): OutboxAdmin {
  const recording = { query: (text: string, values?: unknown[]) => (statements.push(text.trim()), pool.query(text, values)) };
  return new OutboxAdmin({ pool: recording, batchSize, ...(confirmAbove === undefined ? {} : { confirmAbove }) });
}

describe('dead letters', () => {
  async function deadRows() {
    const ids = await insertRows(pool, [{ subject: 'a' }, { subject: 'a' }, { subject: 'b' }, { subject: 'b' }, {}]);
    await store.claim({ relayId: 'r', limit: 10, ...lease });
    await store.markDead('r', ids.slice(0, 4).map((id) => ({ id, error: 'boom' })));
    await store.markSent('r', [ids[4]!]);
    return ids;
  }

  it('requeue by id resets the row as new and a relay claims it again', async () => {
    const ids = await deadRows();
    const admin = new OutboxAdmin({ pool });
    expect(await admin.requeue({ ids: [ids[1]!] })).toEqual({ matched: 1, changed: 1, dryRun: false });
    const row = (await rowsById(pool)).get(ids[1]!)!;
    expect(row).toMatchObject({ dead_at: null, last_error: null, attempts: 0, locked_by: null });
    expect((await claimRecovered(store, 'r2')).map((m) => m.id)).toEqual([ids[1]]);
  });

  it('requeue by subject, and all; a dry run changes nothing', async () => {
    const ids = await deadRows();
    const admin = new OutboxAdmin({ pool });
    expect(await admin.requeue({ subject: 'b' }, { dryRun: true })).toEqual({ matched: 2, changed: 0, dryRun: true });
    expect((await store.stats()).dead).toBe(4);
    expect((await admin.requeue({ subject: 'b' })).changed).toBe(2);
    expect((await store.stats()).dead).toBe(2);
    expect((await admin.requeue('all')).changed).toBe(2);
    expect(await store.stats()).toMatchObject({ dead: 0, pending: 4 });
    expect((await rowsById(pool)).get(ids[4]!)!.sent_at).not.toBeNull();
  });

  it('lists the newest first and purges in batches along the dead index; refuses an empty selection', async () => {
    const ids = await deadRows();
    const statements: string[] = [];
    const admin = recordingAdmin(1, statements, 100);
    const listed = await admin.listDead({ limit: 10 });
    expect(listed.map((d) => d.id).sort()).toEqual(ids.slice(0, 4).sort());
    expect(listed[0]).toMatchObject({ lastError: 'boom', attempts: 1 });
    expect((await admin.purge({ subject: 'a' })).changed).toBe(2);
    expect(statements.filter((s) => s.includes('DELETE FROM')).length).toBe(3); // 1 + 1 + the short batch
    expect((await admin.purge('all')).changed).toBe(2);
    expect((await rowsById(pool)).size).toBe(1);
    await expect(admin.requeue({})).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'selection' });
  });

  it('refuses a purge above the confirmation threshold unless confirmed', async () => {
    await deadRows();
    const admin = new OutboxAdmin({ pool, confirmAbove: 3 });
    await expect(admin.purge('all')).rejects.toMatchObject({ name: 'ConfirmationRequiredError' });
    expect((await store.stats()).dead).toBe(4);
    expect((await admin.purge('all', { confirm: true })).changed).toBe(4);
  });
});

describe('republish (replay of sent messages)', () => {
  async function sentRows(subjects: string[]) {
    const ids = await insertRows(pool, subjects.map((subject) => ({ subject })));
    await store.claim({ relayId: 'r', limit: 1000, ...lease });
    expect(await store.markSent('r', ids)).toBe(ids.length);
    return ids;
  }

  it('makes the selected sent rows pending again with their ids and seq, batch by batch, claimed in order', async () => {
    const ids = await sentRows(['pay.created', 'pay.created', 'pay.refunded', 'pay.created', 'other', 'pay.created', 'pay.created']);
    const before = await rowsById(pool);
    const statements: string[] = [];
    const admin = recordingAdmin(2, statements);
    expect((await admin.republish({ subject: 'pay.*' }, { dryRun: true })).matched).toBe(6);
    expect((await admin.republish({ subject: 'pay.created' })).changed).toBe(5);
    expect(statements.filter((s) => s.includes('SET sent_at = NULL')).length).toBe(3); // 2 + 2 + 1
    const after = await rowsById(pool);
    const pending = [...after.values()].filter((r) => r.sent_at === null);
    expect(pending.map((r) => r.id).sort()).toEqual([ids[0], ids[1], ids[3], ids[5], ids[6]].sort());
    for (const row of pending) expect(row).toMatchObject({ attempts: 0, locked_by: null, seq: before.get(row.id)!.seq });
    expect((await claimRecovered(store, 'r2')).map((m) => m.id)).toEqual([ids[0], ids[1], ids[3], ids[5], ids[6]]);
  });

  it('selects by time range on created_at, never touches pending or dead rows, and refuses an empty selection', async () => {
    const ids = await sentRows(['t', 't', 't']);
    await pool.query(`UPDATE outbox SET created_at = now() - interval '2 hours' WHERE id = $1`, [ids[0]]);
    const [pendingId] = await insertRows(pool, [{ subject: 't' }]);
    const admin = new OutboxAdmin({ pool });
    const hourAgo = new Date(Date.now() - 3600_000);
    expect((await admin.republish({ until: hourAgo }, { dryRun: true })).matched).toBe(1);
    expect((await admin.republish({ subject: 't', since: hourAgo })).changed).toBe(2);
    expect((await rowsById(pool)).get(ids[0]!)!.sent_at).not.toBeNull();
    expect((await admin.republish({ ids: [pendingId!] }, { dryRun: true })).matched).toBe(0);
    await expect(admin.republish({})).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'selection' });
    await expect(admin.republish({ since: new Date('x') })).rejects.toMatchObject({ name: 'InvalidOptionError' });
  });

  it('narrows a time selection to a seq range: a batch never reads the rows outside it', async () => {
    await sentRows(Array.from({ length: 200 }, () => 'old'));
    await pool.query(`UPDATE outbox SET created_at = now() - interval '3 days'`);
    const recent = await sentRows(['new', 'new']);
    const statements: { text: string; values?: unknown[] }[] = [];
    const recording = { query: (text: string, values?: unknown[]) => (statements.push({ text, values }), pool.query(text, values)) };
    const admin = new OutboxAdmin({ pool: recording });
    expect((await admin.republish({ since: new Date(Date.now() - 24 * 3600_000) })).changed).toBe(2);
    const batch = statements.find((s) => s.text.includes('SET sent_at = NULL'))!;
    const { rows } = await pool.query(`SELECT min(seq)::text AS lo FROM outbox WHERE id = ANY($1::uuid[])`, [recent]);
    // The walk starts a margin before `since` (producer transactions may have begun earlier), not at the table's start.
    const after = BigInt(batch.values![7] as string); // $8, after the seven selection parameters
    expect(after).toBeGreaterThan(0n);
    expect(BigInt(rows[0].lo)).toBeGreaterThan(after);
  });
});
