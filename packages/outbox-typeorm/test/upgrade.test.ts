// The online upgrade from the 0.1 table: one short transaction swaps in the slotted table while the old
// publisher keeps inserting; relays claim at once; maintenance then moves the old rows across (pending
// and dead ones first) and drops the old table. Nothing is lost, nothing is published twice.
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestDatabase } from '@tx-outbox/devkit';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { OutboxAdmin } from '../src/admin/OutboxAdmin.js';
import { OutboxMaintenance } from '../src/postgres/maintenance/OutboxMaintenance.js';
import { readOutboxLayout } from '../src/postgres/maintenance/readOutboxLayout.js';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { executorFromPg } from '../src/postgres/SqlExecutor.js';
import { outboxNames } from '../src/postgres/schema/outboxNames.js';
import { upgradeOutboxTableDdl } from '../src/postgres/schema/upgradeOutboxTableDdl.js';
import { insertOutboxMessages } from '../src/postgres/insertOutboxMessages.js';
import { CreateOutboxTable1700000000000 } from '../src/typeorm/CreateOutboxTable1700000000000.js';
import { UpgradeOutboxTable1765000000000 } from '../src/typeorm/UpgradeOutboxTable1765000000000.js';
import { createLegacyOutboxTable, legacyInsert } from './fixtures/legacyOutboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await openTestDatabase('outbox_upgrade');
  pool = new pg.Pool({ connectionString: db.url, max: 10 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('upgrades a 0.1 table online: pending, leased, waiting, dead and sent rows keep their meaning; old and new publishers keep writing', async () => {
  await createLegacyOutboxTable(pool);
  const old = {
    fresh: [await legacyInsert(pool, 'old.fresh'), await legacyInsert(pool, 'old.fresh'), await legacyInsert(pool, 'old.fresh')],
    leased: await legacyInsert(pool, 'old.leased'),
    waiting: await legacyInsert(pool, 'old.waiting'),
    sent: await legacyInsert(pool, 'old.sent'),
    dead: await legacyInsert(pool, 'old.dead'),
  };
  await pool.query(`UPDATE outbox SET attempts = 1, locked_by = 'relay-0.1', locked_until = now() + interval '2 seconds' WHERE id = $1`, [old.leased]);
  await pool.query(`UPDATE outbox SET attempts = 1, available_at = now() + interval '1 hour', last_error = 'throttled' WHERE id = $1`, [old.waiting]);
  await pool.query(`UPDATE outbox SET attempts = 1, sent_at = now() WHERE id = $1`, [old.sent]);
  await pool.query(`UPDATE outbox SET attempts = 3, dead_at = now(), last_error = 'poison' WHERE id = $1`, [old.dead]);
  const oldMaxSeq = BigInt((await pool.query('SELECT max(seq)::text AS s FROM outbox')).rows[0].s);

  // The old publisher keeps writing during and after the swap.
  let writing = true;
  const byOldPublisher: string[] = [];
  const writer = (async () => {
    while (writing) {
      byOldPublisher.push(await legacyInsert(pool, 'during.old-publisher'));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 50));

  // The swap: one transaction, as `outbox-relay migrate` and the TypeORM migration run it.
  const client = await pool.connect();
  try {
    expect((await readOutboxLayout(executorFromPg(client), outboxNames())).kind).toBe('legacy');
    await client.query('BEGIN');
    for (const statement of upgradeOutboxTableDdl()) await client.query(statement);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  const found = await readOutboxLayout(executorFromPg(pool), outboxNames());
  expect(found).toMatchObject({ kind: 'slotted', legacyRows: true });

  const byNewPublisher = await insertOutboxMessages(pool, [{ subject: 'after.new-publisher', body: {} }]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  writing = false;
  await writer;

  // New rows are claimable at once; the old rows once maintenance has moved them.
  const store = new PostgresOutboxStore({ pool });
  const published = new Map<string, number>();
  const drain = async () => {
    for (;;) {
      const claimed = await store.claim({ relayId: 'relay-2', limit: 100, leaseMs: 30_000, ordered: false });
      if (claimed.length === 0) return;
      for (const m of claimed) published.set(m.id, (published.get(m.id) ?? 0) + 1);
      await store.markSent('relay-2', claimed.map((m) => m.id));
    }
  };
  await drain();
  for (const id of [...byNewPublisher, ...byOldPublisher.slice(-3)]) expect(published.get(id)).toBe(1);
  const maintenance = new OutboxMaintenance({ pool, batchSize: 2 });
  const deadline = Date.now() + 15_000;
  let dropped = false;
  while (!dropped && Date.now() < deadline) dropped = (await maintenance.run()).legacyDropped;
  expect(dropped).toBe(true);
  expect((await pool.query(`SELECT to_regclass('outbox_legacy') AS t`)).rows[0].t).toBeNull();

  // Every pending old row goes out once; the leased one once its 0.1 lease has run out.
  const until = Date.now() + 15_000;
  while (!published.has(old.leased) && Date.now() < until) {
    await drain();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const id of [...old.fresh, old.leased, ...byOldPublisher, ...byNewPublisher]) expect(published.get(id), id).toBe(1);
  expect(published.has(old.waiting)).toBe(false);
  expect(published.has(old.sent)).toBe(false);
  expect(published.has(old.dead)).toBe(false);

  const rows = new Map((await pool.query('SELECT id::text AS id, seq, available_at, last_error, sent_at, dead_at FROM outbox')).rows.map((r) => [r.id, r]));
  expect(rows.get(old.waiting)).toMatchObject({ last_error: 'throttled', sent_at: null });
  expect(rows.get(old.waiting).available_at.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  expect(rows.get(old.sent).sent_at).toBeInstanceOf(Date);
  expect((await new OutboxAdmin({ pool }).listDead()).map((d) => [d.id, d.lastError])).toEqual([[old.dead, 'poison']]);
  // seq continues after the old table's: the order between old and new rows holds.
  for (const id of byNewPublisher) expect(BigInt(rows.get(id).seq)).toBeGreaterThan(oldMaxSeq);
  expect(rows.size).toBe(7 + byOldPublisher.length + byNewPublisher.length);
});

it('the TypeORM upgrade migration is a no-op on a table already slotted', async () => {
  const before = (await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n;
  const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: [UpgradeOutboxTable1765000000000] });
  await dataSource.initialize();
  try {
    expect((await dataSource.runMigrations()).map((m) => m.name)).toEqual(['UpgradeOutboxTable1765000000000']);
  } finally {
    await dataSource.destroy();
  }
  expect((await readOutboxLayout(executorFromPg(pool), outboxNames())).kind).toBe('slotted');
  expect((await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(before);
});

it('the TypeORM upgrade migration upgrades a 0.1 table, and the relay then claims from it', async () => {
  const other = await openTestDatabase('outbox_upgrade_typeorm');
  const otherPool = new pg.Pool({ connectionString: other.url, max: 4 });
  try {
    await createLegacyOutboxTable(otherPool);
    const id = await legacyInsert(otherPool, 'old.fresh');
    const dataSource = new DataSource({ type: 'postgres', url: other.url, migrations: [CreateOutboxTable1700000000000, UpgradeOutboxTable1765000000000] });
    await dataSource.initialize();
    try {
      // As a team that ran the 0.1 migration: only the upgrade is new to it.
      await dataSource.query(`CREATE TABLE migrations (id SERIAL PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)`);
      await dataSource.query(`INSERT INTO migrations ("timestamp", name) VALUES (1700000000000, 'CreateOutboxTable1700000000000')`);
      expect((await dataSource.runMigrations()).map((m) => m.name)).toEqual(['UpgradeOutboxTable1765000000000']);
    } finally {
      await dataSource.destroy();
    }
    await new OutboxMaintenance({ pool: otherPool }).run();
    const store = new PostgresOutboxStore({ pool: otherPool });
    expect((await store.claim({ relayId: 'r', limit: 10, leaseMs: 30_000, ordered: false })).map((m) => m.id)).toEqual([id]);
  } finally {
    await otherPool.end();
    await other.drop();
  }
});
