// The partitioned inbox against a real PostgreSQL: the layout the DDL creates, the in-place upgrade of
// an unpartitioned inbox (also while consumer processes keep handling messages), day partitions that
// retention creates ahead, truncates and drops without a DELETE, and two consumer processes handling the
// same ids while partitions are created and dropped under them: every message is handled once.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@tx-outbox/outbox-core/testing';
import { PostgresInboxStore } from '../src/postgres/index.js';
import { inboxTableDdl } from '../src/internal.js';
import { attachDayPartition } from '../src/postgres/inboxStore/partitions/attachDayPartition.js';
import { DAY_MS, inboxPartitionNames, uuidV7Bound } from '../src/postgres/inboxStore/partitions/inboxPartitionNames.js';
import { executorFromPg } from '../src/postgres/SqlExecutor.js';
import { openTestDatabase, type OpenedTestDatabase } from './fixtures/testDatabase.js';

let db: OpenedTestDatabase;
let pool: pg.Pool;
const children: ChildProcess[] = [];
const names = inboxPartitionNames();

beforeAll(async () => {
  db = await openTestDatabase('inbox_parts');
  pool = new pg.Pool({ connectionString: db.url });
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await pool.query('DROP TABLE IF EXISTS inbox, effects');
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** A uuid v7 text of a given moment (random below the time bits), as newMessageId() makes for now. */
function v7At(ms: number): string {
  const hex = Math.floor(ms).toString(16).padStart(12, '0') + '7' + randomBytes(10).toString('hex').slice(0, 19);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const todayMs = async () => (await pool.query('SELECT (extract(epoch FROM date_trunc(\'day\', now() AT TIME ZONE \'UTC\')) * 1000)::float8 AS ms')).rows[0].ms as number;
const partitionsOf = async (table = 'inbox') =>
  (await pool.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`, [table])).rows.map((r) => r.name);
const whereIs = async (messageId: string) => (await pool.query('SELECT tableoid::regclass::text AS t FROM inbox WHERE message_id = $1', [messageId])).rows.map((r) => r.t);
const createEffects = () => pool.query('CREATE TABLE effects (id bigserial PRIMARY KEY, consumer text NOT NULL, message_id text NOT NULL, pid int)');

async function createLegacyInbox(): Promise<void> {
  // The DDL of the releases before the partitioned layout.
  await pool.query(`CREATE TABLE inbox (
    consumer text NOT NULL, message_id text NOT NULL, status text NOT NULL CHECK (status IN ('in_progress', 'done')),
    locked_by text NULL, locked_until timestamptz NULL, processed_at timestamptz NULL, expires_at timestamptz NOT NULL, fingerprint text NULL,
    PRIMARY KEY (consumer, message_id))`);
  await pool.query('CREATE INDEX inbox_expires_idx ON inbox (expires_at)');
}

/** A store whose statements are recorded, to show what retention runs. */
function recordingStore(): { store: PostgresInboxStore; statements: string[] } {
  const statements: string[] = [];
  const store = new PostgresInboxStore({
    pool: { query: (text: string, values?: unknown[]) => (statements.push(text), pool.query(text, values)) } as pg.Pool,
  });
  return { store, statements };
}

interface StreamProcess {
  ready: Promise<void>;
  done: Promise<{ processed: number; duplicates: number; retried: number; errors: Record<string, number> }>;
  go(): void;
}

function startStream(config: { mode: 'plain' | 'transactional'; ids: string[]; concurrency: number }): StreamProcess {
  const script = fileURLToPath(new URL('./fixtures/inboxStreamProcess.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, JSON.stringify({ databaseUrl: db.url, consumer: 'billing', ...config })], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  let ready!: () => void;
  let done!: (counts: never) => void;
  const readyP = new Promise<void>((resolve) => (ready = resolve));
  const doneP = new Promise<never>((resolve) => (done = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line);
    if (event.event === 'ready') ready();
    if (event.event === 'done') done(event as never);
  });
  return { ready: readyP, done: doneP, go: () => child.stdin!.end('go\n') };
}

async function effectsPerId(): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ message_id: string; n: number }>('SELECT message_id, count(*)::int AS n FROM effects GROUP BY message_id');
  return new Map(rows.map((r) => [r.message_id, r.n]));
}

describe('partitioned inbox', () => {
  it('is created partitioned by message id with a default partition; retention adds the coming days, and a uuid v7 id lands in its day', async () => {
    for (let i = 0; i < 2; i++) for (const statement of inboxTableDdl()) await pool.query(statement);
    expect(await partitionsOf()).toEqual(['inbox_default']);
    const store = new PostgresInboxStore({ pool });
    const rotation = await store.rotate();
    const dayAfterTomorrow = names.day((await todayMs()) + 2 * DAY_MS);
    expect(rotation.created).toContain(dayAfterTomorrow.name);
    expect(rotation.failures).toEqual([]);
    expect(await partitionsOf()).toContain(dayAfterTomorrow.name);

    const dated = v7At(dayAfterTomorrow.dayMs + 3_600_000);
    const foreign = 'order-42';
    for (const messageId of [dated, foreign]) expect((await store.handleOnce({ consumer: 'c', messageId }, () => 1)).status).toBe('processed');
    expect(await whereIs(dated)).toEqual([dayAfterTomorrow.name]);
    expect(await whereIs(foreign)).toEqual(['inbox_default']);
    for (const messageId of [dated, foreign]) expect((await store.handleOnce({ consumer: 'c', messageId }, () => 1)).status).toBe('duplicate');
    // A second run has nothing to do.
    expect(await store.rotate()).toMatchObject({ created: [], truncated: [], dropped: [], failures: [] });
  });

  it('upgrades an unpartitioned inbox in place: the old table becomes the default partition, every record still counts', async () => {
    await createLegacyInbox();
    await pool.query(
      `INSERT INTO inbox (consumer, message_id, status, processed_at, expires_at, locked_by, locked_until) VALUES
         ('c', 'done-live', 'done', now(), now() + interval '7 days', NULL, NULL),
         ('c', 'done-expired', 'done', now() - interval '8 days', now() - interval '1 day', NULL, NULL),
         ('c', 'running', 'in_progress', NULL, now() + interval '7 days', 'token', now() + interval '1 minute')`,
    );
    const { rows: [{ oid }] } = await pool.query(`SELECT 'inbox'::regclass::oid AS oid`);
    for (let i = 0; i < 2; i++) for (const statement of inboxTableDdl()) await pool.query(statement);

    expect(await partitionsOf()).toEqual(['inbox_default']);
    // The same table, not a copy.
    expect((await pool.query(`SELECT 'inbox_default'::regclass::oid AS oid`)).rows[0].oid).toBe(oid);
    const store = new PostgresInboxStore({ pool });
    expect((await store.handleOnce({ consumer: 'c', messageId: 'done-live' }, () => 1)).status).toBe('duplicate');
    expect((await store.handleOnce({ consumer: 'c', messageId: 'done-expired' }, () => 1)).status).toBe('processed');
    await expect(store.handleOnce({ consumer: 'c', messageId: 'running' }, () => 1)).rejects.toMatchObject({ name: 'MessageInProgressError' });
    const { rows } = await pool.query(`SELECT indexname FROM pg_indexes WHERE tablename IN ('inbox', 'inbox_default') ORDER BY 1`);
    expect(rows.map((r) => r.indexname)).toEqual(['inbox_default_expires_idx', 'inbox_default_pkey', 'inbox_expires_idx', 'inbox_pkey']);
  });

  it.each(['plain', 'transactional'] as const)('upgrades while two %s consumer processes handle the same messages: each is handled once', async (mode) => {
    await createLegacyInbox();
    await createEffects();
    const ids = Array.from({ length: 400 }, () => v7At(Date.now()));
    const streams = [startStream({ mode, ids, concurrency: 4 }), startStream({ mode, ids, concurrency: 4 })];
    await Promise.all(streams.map((s) => s.ready));
    for (const s of streams) s.go();
    await waitFor(async () => (await effectsPerId()).size >= 50, { description: 'the consumers are under way', timeoutMs: 30_000 });
    for (const statement of inboxTableDdl()) await pool.query(statement);
    const upgradedWhileRunning = (await effectsPerId()).size < ids.length;
    const results = await Promise.all(streams.map((s) => s.done));

    expect(upgradedWhileRunning).toBe(true);
    expect(await partitionsOf()).toEqual(['inbox_default']);
    const effects = await effectsPerId();
    expect(effects.size).toBe(ids.length);
    expect([...effects.values()].every((n) => n === 1)).toBe(true);
    expect(results.reduce((sum, r) => sum + r.processed, 0)).toBe(ids.length);
    expect(results.map((r) => r.errors)).toEqual([{}, {}]);
  });

  it('truncates and drops a past day once all its records expired, keeps days with a live record or lease, and deletes nothing there', async () => {
    for (const statement of inboxTableDdl()) await pool.query(statement);
    const today = await todayMs();
    const expiredDay = names.day(today - 9 * DAY_MS);
    const liveDay = names.day(today - 8 * DAY_MS);
    const leaseDay = names.day(today - 7 * DAY_MS);
    const renewedDay = names.day(today - 6 * DAY_MS);
    for (const day of [expiredDay, liveDay, leaseDay, renewedDay]) await attachDayPartition(executorFromPg(pool), names, day, 1_000);
    // Leases that outlive their record's ttl: the record must stay while the lease lasts.
    const leasing = new PostgresInboxStore({ pool });
    const leased = await leasing.begin({ consumer: 'c', messageId: v7At(leaseDay.dayMs + 1_000), leaseMs: 600_000, ttlMs: 1 });
    const renewedId = v7At(renewedDay.dayMs + 1_000);
    const renewed = await leasing.begin({ consumer: 'c', messageId: renewedId, leaseMs: 1, ttlMs: 1 });
    expect([leased.outcome, renewed.outcome]).toEqual(['acquired', 'acquired']);
    expect(await leasing.extendLease({ consumer: 'c', messageId: renewedId, token: (renewed as { token: string }).token }, 600_000)).toBe(true);
    await pool.query(
      `INSERT INTO inbox (consumer, message_id, status, processed_at, expires_at)
       SELECT 'c', id, 'done', now() - interval '9 days', expires FROM unnest($1::text[], $2::timestamptz[]) AS t(id, expires)`,
      [
        [v7At(expiredDay.dayMs + 1_000), v7At(expiredDay.dayMs + 2_000), v7At(liveDay.dayMs + 1_000), v7At(liveDay.dayMs + 2_000), 'order-old', 'order-new'],
        ['-infinity', new Date(Date.now() - 3_600_000), '-infinity', new Date(Date.now() + 3_600_000), '-infinity', 'infinity'],
      ],
    );
    const { store, statements } = recordingStore();
    const rotation = await store.rotate();

    expect(rotation.truncated.map((t) => t.partition)).toEqual([expiredDay.name]);
    expect(rotation.dropped).toEqual([expiredDay.name]);
    expect(rotation.failures).toEqual([]);
    expect(await partitionsOf()).toEqual(expect.arrayContaining([liveDay.name, leaseDay.name, renewedDay.name]));
    expect(await partitionsOf()).not.toContain(expiredDay.name);
    expect((await pool.query(`SELECT count(*)::int AS n FROM inbox WHERE status = 'in_progress'`)).rows[0].n).toBe(2);
    // The live day keeps both its records (the expired one of it goes once the whole day has expired).
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${liveDay.table}`)).rows[0].n).toBe(2);
    expect(statements.some((s) => /\bDELETE\b|\bUPDATE\b/i.test(s.replace(/ON DELETE|FOR UPDATE/gi, '')))).toBe(false);

    // The default partition (ids that are not uuid v7): its expired records go by DELETE, the live one stays.
    expect(await store.purgeExpired(1000)).toBe(1);
    expect((await pool.query(`SELECT message_id FROM inbox_default`)).rows.map((r) => r.message_id)).toEqual(['order-new']);
  });

  it('truncates the default partition once every record in it expired', async () => {
    for (const statement of inboxTableDdl()) await pool.query(statement);
    await pool.query(`INSERT INTO inbox (consumer, message_id, status, processed_at, expires_at) SELECT 'c', 'old-' || n, 'done', now(), now() - interval '1 second' FROM generate_series(1, 100) n`);
    const { store, statements } = recordingStore();
    const rotation = await store.rotate();
    expect(rotation.truncated.map((t) => t.partition)).toEqual(['inbox_default']);
    expect((await pool.query('SELECT count(*)::int AS n FROM inbox')).rows[0].n).toBe(0);
    expect(statements.some((s) => /^\s*DELETE/i.test(s))).toBe(false);
  });

  it.each(['plain', 'transactional'] as const)(
    'two %s consumer processes handle the same ids while retention creates, truncates and drops partitions under them: each once',
    async (mode) => {
      for (const statement of inboxTableDdl()) await pool.query(statement);
      await createEffects();
      const today = await todayMs();
      const pastDay = names.day(today - 9 * DAY_MS);
      await attachDayPartition(executorFromPg(pool), names, pastDay, 1_000);
      // Ids of a past day whose records expired (redelivered long after: handled again, once), of two days
      // ahead (a producer clock ahead; their partition may be created under the consumers), and of today.
      const pastIds = Array.from({ length: 150 }, (_, i) => v7At(pastDay.dayMs + i));
      await pool.query(`INSERT INTO inbox (consumer, message_id, status, processed_at, expires_at) SELECT 'billing', unnest($1::text[]), 'done', now() - interval '9 days', now() - interval '1 day'`, [pastIds]);
      const ids = [...pastIds, ...Array.from({ length: 150 }, (_, i) => v7At(today + 2 * DAY_MS + 3_600_000 + i)), ...Array.from({ length: 150 }, () => v7At(Date.now()))];
      const streams = [startStream({ mode, ids, concurrency: 4 }), startStream({ mode, ids, concurrency: 4 })];
      await Promise.all(streams.map((s) => s.ready));
      for (const s of streams) s.go();
      const store = new PostgresInboxStore({ pool });
      const rotations = [];
      let finished = false;
      const results = Promise.all(streams.map((s) => s.done)).finally(() => (finished = true));
      while (!finished) rotations.push(await store.rotate({ lockTimeoutMs: 100, dropLockTimeoutMs: 50 }));
      const counts = await results;

      expect(rotations.flatMap((r) => r.failures)).toEqual([]);
      const effects = await effectsPerId();
      expect(effects.size).toBe(ids.length);
      expect([...effects.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      // The one error a delivery may meet, and retry: an insert routed to the default partition just as
      // the partition of its day was attached there (23514, PostgreSQL's recheck; only for ids 12 h ahead).
      for (const c of counts) expect(Object.keys(c.errors).filter((key) => !key.endsWith(':23514'))).toEqual([]);
      // Retention ran beside them (the first run usually truncates and drops the past day and creates the ones ahead).
      expect(rotations.length).toBeGreaterThan(0);
    },
  );
});
