// The low-level publisher for pg users: a plain pg Client inside the user's own BEGIN … COMMIT.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { insertOutboxMessages, wakeRelays } from '../src/postgres/index.js';
import { outboxTableDdl } from '../src/internal.js';

let db: TestDatabase;
let client: pg.Client;
let listener: pg.Client;
const notifications: string[] = [];

const rows = async (subject: string) => (await client.query('SELECT id::text FROM outbox WHERE subject = $1', [subject])).rows.map((r) => r.id);
/** Runs `work` in BEGIN … COMMIT (or ROLLBACK) on the client, then waits for a round trip of the listener. */
async function inTransaction(end: 'COMMIT' | 'ROLLBACK', work: () => Promise<unknown>): Promise<void> {
  await client.query('BEGIN');
  await work();
  await client.query(end);
  await listener.query('SELECT 1'); // a notification sent at commit arrives before this answer
}

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'insert_pg');
  client = new pg.Client({ connectionString: db.url });
  listener = new pg.Client({ connectionString: db.url });
  await Promise.all([client.connect(), listener.connect()]);
  for (const statement of outboxTableDdl()) await client.query(statement);
  for (const statement of outboxTableDdl({ schema: 'messaging', tableName: 'events' })) await client.query(statement);
  listener.on('notification', (n) => notifications.push(n.channel));
  await listener.query('LISTEN outbox_notify');
});
afterAll(async () => {
  await client?.end();
  await listener?.end();
  await db?.drop();
});

describe('insertOutboxMessages(pgClient, messages)', () => {
  it('commits with the caller’s COMMIT (one row per message, the returned ids), adding no NOTIFY to the transaction', async () => {
    notifications.length = 0;
    let ids: string[] = [];
    const sent: string[] = [];
    const recording = { query: (text: string, values?: unknown[]) => (sent.push(text), client.query(text, values)) };
    await inTransaction('COMMIT', async () => {
      ids = await insertOutboxMessages(recording, [{ subject: 'pg.commit', body: { n: 1 } }, { subject: 'pg.commit', body: { n: 2 } }]);
      ids.push(...(await insertOutboxMessages(recording, [{ subject: 'pg.commit', body: { n: 3 } }])));
    });
    expect((await rows('pg.commit')).sort()).toEqual([...ids].sort());
    expect(ids).toHaveLength(3);
    expect(sent.filter((text) => /notify/i.test(text))).toEqual([]);
    expect(notifications).toEqual([]);
    // After the COMMIT, one wake-up of its own.
    await wakeRelays(client);
    await listener.query('SELECT 1');
    expect(notifications).toEqual(['outbox_notify']);
  });

  it('rolls back with the caller’s ROLLBACK: no row, no notification', async () => {
    notifications.length = 0;
    await inTransaction('ROLLBACK', () => insertOutboxMessages(client, [{ subject: 'pg.rollback', body: {} }]));
    expect(await rows('pg.rollback')).toEqual([]);
    expect(notifications).toEqual([]);
  });

  it('validates as sendEvent does: one bad message refuses the call before anything is written', async () => {
    const bad = { subject: 'pg.bad', body: { n: 10n } };
    await inTransaction('COMMIT', async () => {
      await expect(insertOutboxMessages(client, [{ subject: 'pg.bad', body: {} }, bad])).rejects.toMatchObject({ name: 'NonSerializableBodyError' });
      await expect(insertOutboxMessages(client, [{ subject: '', body: {} }])).rejects.toMatchObject({ name: 'InvalidSubjectError' });
      await expect(insertOutboxMessages(client, [{ subject: 'pg.bad', body: 'x'.repeat(1_100_000) }])).rejects.toMatchObject({ name: 'MessageTooLargeError' });
    });
    expect(await rows('pg.bad')).toEqual([]);
  });

  it('writes to the given schema and table; refuses bad options and a non-executor by name', async () => {
    await inTransaction('COMMIT', () => insertOutboxMessages(client, [{ subject: 'pg.events', body: {} }], { schema: 'messaging', tableName: 'events' }));
    expect((await client.query(`SELECT count(*)::int AS n FROM messaging.events WHERE subject = 'pg.events'`)).rows[0].n).toBe(1);
    await expect(insertOutboxMessages(client, [], { tableName: 'bad name;' })).rejects.toMatchObject({ name: 'InvalidIdentifierError' });
    await expect(insertOutboxMessages(client, [], { notify: true } as never)).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'notify', message: expect.stringContaining('wakeRelays') });
    await expect(wakeRelays(client, { tableName: 'bad name;' })).rejects.toMatchObject({ name: 'InvalidIdentifierError' });
    await expect(insertOutboxMessages({} as never, [])).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'executor' });
  });
});
