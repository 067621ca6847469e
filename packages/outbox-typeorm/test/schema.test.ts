import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import {
  CreateOutboxTable1700000000000,
  OutboxMessageEntity,
  createOutboxEntitySchema,
  createOutboxMigration,
} from '../src/index.js';
import { dropOutboxTableDdl, outboxTableDdl, upgradeOutboxTableDdl } from '../src/internal.js';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'schema');
  pool = new pg.Pool({ connectionString: db.url });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const sqlFile = new URL('../sql/outbox.sql', import.meta.url);

async function errorOf(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

async function columnsOf(schema: string, table: string) {
  const { rows } = await pool.query(
    `SELECT column_name, data_type, is_nullable, column_default, is_identity, identity_generation
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  return rows;
}

async function indexesOf(schema: string, table: string): Promise<Record<string, string>> {
  const { rows } = await pool.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`, [schema, table]);
  return Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
}

describe('outbox DDL', () => {
  it('sql/outbox-upgrade.sql is exactly the generated upgrade for the default names, in one transaction', async () => {
    const file = await readFile(new URL('../sql/outbox-upgrade.sql', import.meta.url), 'utf8');
    const statements = file.replace(/^--.*\n/gm, '').trim();
    expect(statements, 'regenerate sql/outbox-upgrade.sql from upgradeOutboxTableDdl({})').toBe(
      ['BEGIN;', ...upgradeOutboxTableDdl({}).map((s) => `${s};`), 'COMMIT;'].join('\n\n'),
    );
  });

  it('sql/outbox.sql is exactly the generated DDL for the default names', async () => {
    const file = await readFile(sqlFile, 'utf8');
    const statements = file.replace(/^--.*\n/gm, '').trim();
    expect(statements, 'regenerate sql/outbox.sql from outboxTableDdl({})').toBe(
      outboxTableDdl({}).map((s) => `${s};`).join('\n\n'),
    );
  });

  it('the SQL file creates the table with the columns and partial indexes of the data model, and is idempotent', async () => {
    const file = await readFile(sqlFile, 'utf8');
    await pool.query(file);
    await pool.query(file);
    const columns = await columnsOf('public', 'outbox');
    expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      // xid first: its default gives the writing transaction its id before seq is drawn (ClaimWatermark.ts).
      ['xid', 'xid8', 'NO'],
      ['seq', 'bigint', 'NO'],
      ['slot', 'smallint', 'NO'],
      ['id', 'uuid', 'NO'],
      ['subject', 'text', 'NO'],
      ['payload', 'jsonb', 'NO'],
      ['headers', 'jsonb', 'NO'],
      ['group_key', 'text', 'YES'],
      ['dedup_id', 'text', 'YES'],
      ['created_at', 'timestamp with time zone', 'NO'],
      ['available_at', 'timestamp with time zone', 'YES'],
      ['attempts', 'integer', 'NO'],
      ['locked_by', 'text', 'YES'],
      ['locked_until', 'timestamp with time zone', 'YES'],
      ['last_error', 'text', 'YES'],
      ['sent_at', 'timestamp with time zone', 'YES'],
      ['dead_at', 'timestamp with time zone', 'YES'],
    ]);
    const seq = columns.find((c) => c.column_name === 'seq');
    expect([seq.is_identity, seq.identity_generation]).toEqual(['YES', 'ALWAYS']);
    expect(columns.find((c) => c.column_name === 'headers').column_default).toBe("'{}'::jsonb");
    expect(columns.find((c) => c.column_name === 'attempts').column_default).toBe('0');

    const indexes = await indexesOf('public', 'outbox');
    // No index covers what the claim and the sent mark change (locked_*, attempts, sent_at): both are HOT.
    expect(Object.keys(indexes).sort()).toEqual(['outbox_dead_idx', 'outbox_pkey', 'outbox_seq_idx', 'outbox_waiting_idx'].sort());
    expect(indexes.outbox_pkey).toMatch(/\(id, slot\)$/);
    expect(indexes.outbox_seq_idx).toMatch(/\(seq\)$/);
    expect(indexes.outbox_waiting_idx).toMatch(/\(available_at, seq\) WHERE \(available_at IS NOT NULL\)$/);
    expect(indexes.outbox_dead_idx).toMatch(/\(dead_at, seq\) WHERE \(dead_at IS NOT NULL\)$/);
    const { rows: slots } = await pool.query(
      `SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound, c.reloptions FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'outbox'::regclass ORDER BY c.relname`,
    );
    expect(slots.map((r) => [r.relname, r.bound, r.reloptions])).toEqual([0, 1, 2, 3].map((n) => [`outbox_p${n}`, `FOR VALUES IN ('${n}')`, ['fillfactor=70']]));
    const { rows: [layout] } = await pool.query(`SELECT obj_description('outbox'::regclass, 'pg_class') AS comment`);
    expect(JSON.parse(layout.comment.replace('tx-outbox layout ', ''))).toEqual({ version: 2, retentionMs: 604_800_000, slots: 4, slotSeconds: 302_400 });

    for (const statement of dropOutboxTableDdl({})) await pool.query(statement);
    expect(await columnsOf('public', 'outbox')).toEqual([]);
  });

  it('creates the schema too and names indexes after the custom table', async () => {
    for (const statement of outboxTableDdl({ schema: 'ddl_custom', tableName: 'events' })) await pool.query(statement);
    expect((await columnsOf('ddl_custom', 'events')).length).toBe(17);
    expect(Object.keys(await indexesOf('ddl_custom', 'events')).sort()).toEqual(['events_dead_idx', 'events_pkey', 'events_seq_idx', 'events_waiting_idx'].sort());
  });

  it('adds the ordered indexes, and changes the retention in the catalog only, when run again', async () => {
    for (const statement of outboxTableDdl({ schema: 'ddl_rerun', tableName: 'events' })) await pool.query(statement);
    await pool.query(`INSERT INTO ddl_rerun.events (id, subject, payload) VALUES (gen_random_uuid(), 'a', '{}')`);
    for (const statement of outboxTableDdl({ schema: 'ddl_rerun', tableName: 'events', ordered: true, retentionMs: 3_600_000 })) await pool.query(statement);
    const indexes = await indexesOf('ddl_rerun', 'events');
    expect(indexes.events_group_idx).toMatch(/\(group_key, seq\) WHERE \(\(available_at IS NULL\) AND \(group_key IS NOT NULL\)\)$/);
    expect(indexes.events_waiting_group_idx).toMatch(/\(group_key, seq\) WHERE \(\(available_at IS NOT NULL\) AND \(group_key IS NOT NULL\)\)$/);
    const slot = (await columnsOf('ddl_rerun', 'events')).find((c) => c.column_name === 'slot');
    expect(slot.column_default).toContain('1800');
    expect((await pool.query('SELECT count(*)::int AS n FROM ddl_rerun.events')).rows[0].n).toBe(1);
  });

  it('evaluates column defaults in column order (xid before seq, which the watermark relies on)', async () => {
    // The watermark needs a writer's transaction id assigned before its seq is drawn; the table
    // guarantees it by putting xid first. This pins the PostgreSQL behaviour that makes it so.
    await pool.query('CREATE SEQUENCE ddl_order_seq');
    await pool.query(`CREATE TABLE ddl_order (a bigint DEFAULT nextval('ddl_order_seq'), x int, b bigint DEFAULT nextval('ddl_order_seq'))`);
    await pool.query('INSERT INTO ddl_order (x) VALUES (1)');
    await pool.query('INSERT INTO ddl_order (x) SELECT g FROM generate_series(1, 2) AS g');
    const { rows } = await pool.query('SELECT a, b FROM ddl_order');
    for (const r of rows) expect(Number(r.a)).toBeLessThan(Number(r.b));
  });

  it.each([
    [{ tableName: 'outbox; drop table x' }],
    [{ tableName: 'a.b' }],
    [{ tableName: '' }],
    [{ schema: 'my schema' }],
    [{ schema: 'x"; drop table outbox; --' }],
    // Derived index names would exceed 63 characters.
    [{ tableName: 't'.repeat(60) }],
  ])('refuses %j with InvalidIdentifierError and builds no SQL', async (location) => {
    expect((await errorOf(() => outboxTableDdl(location))).name).toBe('InvalidIdentifierError');
    expect((await errorOf(() => createOutboxMigration(location))).name).toBe('InvalidIdentifierError');
  });
});

describe('TypeORM migration and entities', () => {
  const Events = createOutboxEntitySchema({ schema: 'messaging', tableName: 'events', name: 'MessagingEvent' });
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [OutboxMessageEntity, Events],
      migrations: [
        CreateOutboxTable1700000000000,
        createOutboxMigration({ schema: 'messaging', tableName: 'events', name: 'CreateMessagingEvents1700000000001' }),
      ],
    });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('refuses a migration name TypeORM cannot read a timestamp from', async () => {
    const err = await errorOf(() => createOutboxMigration({ name: 'CreateOutbox' }));
    expect(err.name).toBe('InvalidOptionError');
    expect((err as Error & { option: string }).option).toBe('name');
  });

  it('runs both migrations, maps rows through the entity and the entity schema, and reverts', async () => {
    const ran = await dataSource.runMigrations();
    expect(ran.map((m) => m.name)).toEqual(['CreateOutboxTable1700000000000', 'CreateMessagingEvents1700000000001']);
    expect((await columnsOf('public', 'outbox')).length).toBe(17);
    expect((await columnsOf('messaging', 'events')).length).toBe(17);

    const id = '0190a3c4-0000-7000-8000-000000000001';
    await pool.query(`INSERT INTO outbox (id, subject, payload, group_key) VALUES ($1, 'a.b', '{"x":1}', 'g1')`, [id]);
    await pool.query(`INSERT INTO messaging.events (id, subject, payload) VALUES ($1, 'c.d', '[1,2]')`, [id]);

    const row = await dataSource.getRepository(OutboxMessageEntity).findOneByOrFail({ id });
    expect(row).toMatchObject({ id, seq: '1', subject: 'a.b', payload: { x: 1 }, headers: {}, groupKey: 'g1', dedupId: null, attempts: 0, sentAt: null, availableAt: null });
    expect(row.slot).toBeGreaterThanOrEqual(0);
    expect(row.createdAt).toBeInstanceOf(Date);
    const event = await dataSource.getRepository(Events).findOneByOrFail({ id });
    expect(event).toMatchObject({ subject: 'c.d', payload: [1, 2], groupKey: null });

    await dataSource.undoLastMigration();
    await dataSource.undoLastMigration();
    expect(await columnsOf('messaging', 'events')).toEqual([]);
    expect(await columnsOf('public', 'outbox')).toEqual([]);
  });
});
