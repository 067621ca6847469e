import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { waitFor } from '@tx-outbox/outbox-core/testing';
import { startConsumer, type ConsumerConfig, type ConsumerProcess } from './fixtures/inboxProcess.js';
import { createInboxTables, effectCount, inboxRecords } from './fixtures/inboxTables.js';

let db: TestDatabase;
let pool: pg.Pool;
const running: ConsumerProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'inbox_procs');
  pool = new pg.Pool({ connectionString: db.url });
  await createInboxTables(pool);
});
afterEach(async () => {
  for (const consumer of running.splice(0)) {
    consumer.child.kill('SIGKILL');
    await consumer.exited;
  }
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** Sessions of this database waiting on a lock. */
async function waitingOnLocks(): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  return rows[0].n;
}

function start(config: Omit<ConsumerConfig, 'databaseUrl'>): ConsumerProcess {
  const consumer = startConsumer({ databaseUrl: db.url, ...config });
  running.push(consumer);
  return consumer;
}

describe.each(['plain', 'transactional'] as const)('PostgresInboxStore across consumer processes (%s)', (mode) => {
  it('the same message delivered 5 times at once from two processes has its effect once', async () => {
    const messageId = randomUUID();
    const common = { mode, consumer: 'billing', messageId, payload: '{"amount":5}', leaseMs: 30_000, handlerMs: mode === 'plain' ? 300 : 1_500, waitForGo: true };
    const a = start({ ...common, deliveries: 3 });
    const b = start({ ...common, deliveries: 2 });
    await Promise.all([a.waitFor('ready'), b.waitFor('ready')]);
    a.go();
    b.go();
    // The deliveries really overlap. Plain: some are told the message is in progress and retry.
    // Transactional: there is no in_progress record; the copies wait on the first one's transaction.
    if (mode === 'transactional') await waitFor(async () => (await waitingOnLocks()) > 0, { description: 'a copy waiting on the first one\'s record' });
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);

    const outcomes = [...a.events, ...b.events].filter((e) => e.event === 'outcome').map((e) => e.status);
    expect(outcomes.sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'processed']);
    expect([...a.events, ...b.events].some((e) => e.event === 'in-progress')).toBe(mode === 'plain');
    expect(await effectCount(pool, messageId)).toBe(1);
    expect(await inboxRecords(pool, messageId)).toEqual([{ consumer: 'billing', status: 'done' }]);
  });

  it(`a consumer killed mid-handler: ${mode === 'plain' ? 'after its lease' : 'at once'} another consumer completes the message once`, async () => {
    const messageId = randomUUID();
    // In transactional mode the killed handler has already written its row: PostgreSQL rolls it back
    // with the connection. Without a transaction a write before the crash would stay, so it hangs before.
    const hang = mode === 'transactional' ? 'after-write' : 'before-write';
    // Transactional: no lease to wait out (a long one, so a survivor that waited for it would time the test out).
    const common = { mode, consumer: 'billing', messageId, deliveries: 1, leaseMs: mode === 'plain' ? 1500 : 600_000 };
    const crashing = start({ ...common, hang });
    await crashing.waitFor('in-handler');
    // Plain: an in_progress lease. Transactional: the record is uncommitted, so nobody else sees one.
    expect(await inboxRecords(pool, messageId)).toEqual(mode === 'plain' ? [{ consumer: 'billing', status: 'in_progress' }] : []);
    crashing.child.kill('SIGKILL');
    expect(await crashing.exited).toBe('SIGKILL');

    const survivor = start(common);
    expect(await survivor.exited).toBe(0);
    expect(survivor.events.filter((e) => e.event === 'outcome').map((e) => e.status)).toEqual(['processed']);
    expect(await effectCount(pool, messageId)).toBe(1);
    expect(await inboxRecords(pool, messageId)).toEqual([{ consumer: 'billing', status: 'done' }]);
    // A later redelivery is a duplicate.
    const late = start(common);
    expect(await late.exited).toBe(0);
    expect(late.events.filter((e) => e.event === 'outcome').map((e) => e.status)).toEqual(['duplicate']);
  });
});
