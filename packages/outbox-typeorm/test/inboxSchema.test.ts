import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { CreateInboxTable1700000000001, PartitionInboxTable1700000000002, createInboxMigration } from '../src/index.js';
import { PostgresInboxStore } from '../src/postgres/index.js';
import { inboxTableDdl } from '../src/internal.js';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'inbox_schema');
  pool = new pg.Pool({ connectionString: db.url });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function tableExists(schema: string, table: string): Promise<boolean> {
  const { rows } = await pool.query('SELECT to_regclass($1) AS t', [`"${schema}"."${table}"`]);
  return rows[0].t !== null;
}

describe('inbox DDL', () => {
  it('sql/inbox.sql is exactly the generated DDL for the default names', async () => {
    const file = await readFile(new URL('../sql/inbox.sql', import.meta.url), 'utf8');
    expect(file.replace(/^--.*\n/gm, '').trim(), 'regenerate sql/inbox.sql from inboxTableDdl({})').toBe(
      inboxTableDdl({}).map((s) => `${s};`).join('\n\n'),
    );
  });

  it('runs twice without error (idempotent) and gives the key and index the store relies on', async () => {
    for (let i = 0; i < 2; i++) for (const statement of inboxTableDdl()) await pool.query(statement);
    const { rows } = await pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'inbox' ORDER BY indexname`);
    expect(rows.map((r) => r.indexname)).toEqual(['inbox_expires_idx', 'inbox_pkey']);
    await expect(pool.query(`INSERT INTO inbox (consumer, message_id, status, expires_at) VALUES ('c', 'm', 'sent', now())`)).rejects.toMatchObject({
      code: '23514',
    });
  });

  it('refuses bad names before building SQL', () => {
    expect(() => inboxTableDdl({ tableName: 'inbox; DROP TABLE x' })).toThrowError(expect.objectContaining({ name: 'InvalidIdentifierError' }));
    // <table>_default_expires_idx must stay a plain identifier: 43 characters at most.
    expect(() => inboxTableDdl({ tableName: 'x'.repeat(44) })).toThrowError(expect.objectContaining({ name: 'InvalidIdentifierError' }));
    expect(() => inboxTableDdl({ tableName: 'x'.repeat(43) })).not.toThrow();
    expect(() => createInboxMigration({ name: 'NoTimestamp' })).toThrowError(expect.objectContaining({ name: 'InvalidOptionError', option: 'name' }));
  });

  it('PartitionInboxTable1700000000002 upgrades a table the first migration made before partitioning, and keeps its records', async () => {
    await pool.query('DROP TABLE IF EXISTS inbox');
    await pool.query(`CREATE TABLE inbox (
      consumer text NOT NULL, message_id text NOT NULL, status text NOT NULL CHECK (status IN ('in_progress', 'done')),
      locked_by text NULL, locked_until timestamptz NULL, processed_at timestamptz NULL, expires_at timestamptz NOT NULL, fingerprint text NULL,
      PRIMARY KEY (consumer, message_id))`);
    await pool.query('CREATE INDEX inbox_expires_idx ON inbox (expires_at)');
    await pool.query(`INSERT INTO inbox (consumer, message_id, status, processed_at, expires_at) VALUES ('c', 'before', 'done', now(), now() + interval '1 day')`);
    const dataSource = new DataSource({ type: 'postgres', url: db.url, migrations: [PartitionInboxTable1700000000002], migrationsTableName: 'upgrade_migrations' });
    await dataSource.initialize();
    try {
      expect((await dataSource.runMigrations()).map((m) => m.name)).toEqual(['PartitionInboxTable1700000000002']);
      expect((await pool.query(`SELECT relkind::text AS k FROM pg_class WHERE oid = 'inbox'::regclass`)).rows[0].k).toBe('p');
      const store = new PostgresInboxStore({ pool });
      expect((await store.handleOnce({ consumer: 'c', messageId: 'before' }, () => 1)).status).toBe('duplicate');
    } finally {
      await dataSource.destroy();
      await pool.query('DROP TABLE IF EXISTS inbox, upgrade_migrations');
    }
  });

  it('the TypeORM migrations create a working table (default and custom names) and revert', async () => {
    const dataSource = new DataSource({
      type: 'postgres',
      url: db.url,
      migrations: [CreateInboxTable1700000000001, createInboxMigration({ schema: 'consumers', tableName: 'received', name: 'CreateReceived1700000000002' })],
    });
    await dataSource.initialize();
    try {
      await pool.query('DROP TABLE IF EXISTS inbox');
      const ran = await dataSource.runMigrations();
      expect(ran.map((m) => m.name)).toEqual(['CreateInboxTable1700000000001', 'CreateReceived1700000000002']);
      const store = new PostgresInboxStore({ dataSource, schema: 'consumers', tableName: 'received' });
      expect((await store.handleOnce({ consumer: 'c', messageId: 'm' }, () => 1)).status).toBe('processed');
      expect((await store.handleOnce({ consumer: 'c', messageId: 'm' }, () => 1)).status).toBe('duplicate');
      await dataSource.undoLastMigration();
      await dataSource.undoLastMigration();
      expect(await tableExists('consumers', 'received')).toBe(false);
      expect(await tableExists('public', 'inbox')).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });
});
