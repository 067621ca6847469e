// The console's reads (OutboxInspector) and the operator's failure groups (OutboxAdmin.failureGroups,
// the `fingerprint` and `groupKey` selections) against a real PostgreSQL.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@tx-outbox/devkit';
import { OutboxAdmin } from '../src/admin/OutboxAdmin.js';
import { OutboxInspector } from '../src/inspect/OutboxInspector.js';
import { openTestDatabase } from './fixtures/testDatabase.js';
import { createOutboxTable, insertRows } from './fixtures/outboxTable.js';

let db: TestDatabase;
let pool: pg.Pool;
let admin: OutboxAdmin;
let inspector: OutboxInspector;

beforeAll(async () => {
  db = await openTestDatabase('outbox_inspect');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await createOutboxTable(pool);
  admin = new OutboxAdmin({ pool, batchSize: 2 });
  inspector = new OutboxInspector({ pool });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

beforeEach(async () => {
  await pool.query('TRUNCATE outbox');
});

async function kill(ids: readonly string[], error: (i: number) => string): Promise<void> {
  await pool.query(`UPDATE outbox AS o SET dead_at = now() - m.n * interval '1 second', last_error = m.error, attempts = 3
                      FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS m(id, error, n) WHERE o.id = m.id`, [ids, ids.map((_, i) => error(i))]);
}

describe('failure fingerprints', () => {
  it('groups dead letters whose errors differ only in ids, numbers, times and account ids', async () => {
    const tooLarge = await insertRows(pool, Array.from({ length: 5 }, () => ({ subject: 'payment.created' })));
    const denied = await insertRows(pool, Array.from({ length: 3 }, (_, i) => ({ subject: i === 0 ? 'refund.created' : 'payment.refunded' })));
    await kill(tooLarge, (i) => `MessageTooLargeError: message ${crypto.randomUUID()} is ${300_000 + i} bytes at 2026-11-29T13:0${i}:00.12${i}Z, over 262144 (request 0a1b2c3d4e5f6a7b8c9d0e${i})`);
    await kill(denied, (i) => `AuthorizationError: not allowed to publish to arn:aws:sns:eu-west-1:${String(100000000000 + i)}:payments-v2 (HTTP 403)`);
    const { groups, scanned, complete } = await admin.failureGroups();
    expect({ scanned, complete }).toEqual({ scanned: 8, complete: true });
    expect(groups.map((g) => [g.errorClass, g.count, [...g.subjects].sort()])).toEqual([
      ['MessageTooLargeError', 5, ['payment.created']],
      ['AuthorizationError', 3, ['payment.refunded', 'refund.created']],
    ]);
    expect(groups[0]!.normalizedError).toBe('MessageTooLargeError: message <uuid> is <n> bytes at <time>, over <n> (request <hex>)');
    expect(groups[1]!.normalizedError).toBe('AuthorizationError: not allowed to publish to arn:aws:sns:eu-west-1:<account>:payments-v2 (HTTP <n>)');
    expect(groups[0]!.sampleId).toBe(tooLarge[0]); // the newest (dead_at = now() - 1 s)
  });

  it('keeps errors apart that differ in a word, a topic or an error code', async () => {
    const ids = await insertRows(pool, Array.from({ length: 3 }, () => ({})));
    const errors = ['NotFound: topic payments-v2 missing', 'NotFound: topic payments-v3 missing', 'KMS.ThrottlingException: slow down'];
    await kill(ids, (i) => errors[i]!);
    expect((await admin.failureGroups()).groups).toHaveLength(3);
  });

  it('requeues and purges exactly one group, through the same batches as the CLI', async () => {
    const a = await insertRows(pool, Array.from({ length: 5 }, () => ({ subject: 'a.x' })));
    const b = await insertRows(pool, Array.from({ length: 4 }, () => ({ subject: 'b.x', groupKey: 'g1' })));
    await kill(a, (i) => `Boom: id ${i}`);
    await kill(b, (i) => `Bang: id ${i}`);
    const groups = (await admin.failureGroups()).groups;
    const boom = groups.find((g) => g.errorClass === 'Boom')!;
    expect(await admin.requeue({ fingerprint: boom.fingerprint }, { dryRun: true })).toEqual({ matched: 5, changed: 0, dryRun: true });
    expect(await admin.requeue({ fingerprint: boom.fingerprint })).toEqual({ matched: 5, changed: 5, dryRun: false });
    const { rows } = await pool.query(`SELECT id::text AS id FROM outbox WHERE dead_at IS NULL AND attempts = 0 AND available_at IS NOT NULL ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual([...a].sort());
    expect(await admin.purge({ groupKey: 'g1', fingerprint: groups.find((g) => g.errorClass === 'Bang')!.fingerprint })).toEqual({ matched: 4, changed: 4, dryRun: false });
    expect((await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(5);
  });

  it('refuses a fingerprint that is not 16 hex digits, naming the option', async () => {
    await expect(admin.requeue({ fingerprint: "x' OR 1=1 --" })).rejects.toMatchObject({ name: 'InvalidOptionError', option: 'selection' });
  });

  it('groups waiting messages by their error, a blocked route among them', async () => {
    const ids = await insertRows(pool, Array.from({ length: 3 }, () => ({ subject: 'payment.created', availableInMs: 60_000 })));
    await pool.query(`UPDATE outbox SET last_error = 'AuthorizationError: denied (target arn:aws:sns:us-east-1:123456789012:payments)' WHERE id = ANY($1::uuid[])`, [ids]);
    const { groups } = await admin.failureGroups({ lane: 'waiting' });
    expect(groups.map((g) => [g.errorClass, g.count])).toEqual([['AuthorizationError', 3]]);
  });
});

describe('OutboxInspector', () => {
  it('counts the backlog per subject in each lane, and sent messages of the last hour and day', async () => {
    await insertRows(pool, [{ subject: 'a.x' }, { subject: 'a.x' }, { subject: 'b.x', availableInMs: 60_000 }]);
    const sent = await insertRows(pool, [{ subject: 'a.x' }, { subject: 'b.x' }]);
    await pool.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::uuid[])`, [sent]);
    const dead = await insertRows(pool, [{ subject: 'b.x' }]);
    await kill(dead, () => 'Boom: 1');
    const o = await inspector.overview();
    expect(o.stats).toMatchObject({ pending: 3, dead: 1 });
    expect(o.backlog.complete).toBe(true);
    expect(o.backlog.subjects).toEqual(
      expect.arrayContaining([
        { subject: 'a.x', pending: 2, inFlight: 0, waiting: 0, dead: 0 },
        { subject: 'b.x', pending: 0, inFlight: 0, waiting: 1, dead: 1 },
      ]),
    );
    expect(o.sent.exact).toBe(true);
    expect(o.sent.subjects.sort((x, y) => x.subject.localeCompare(y.subject))).toEqual([
      { subject: 'a.x', lastHour: 1, lastDay: 1 },
      { subject: 'b.x', lastHour: 1, lastDay: 1 },
    ]);
    const series = await inspector.series();
    expect(series.published.reduce((n, m) => n + m.sent, 0)).toBe(2);
    expect(series.dead.minutes.reduce((n, m) => n + m.dead, 0)).toBe(1);
  });

  it('pages a lane with keyset cursors, filtered, however selective the filter', async () => {
    const ids = await insertRows(pool, Array.from({ length: 7 }, (_, i) => ({ subject: i % 2 === 0 ? 'even.x' : 'odd.x', groupKey: `g${i % 3}` })));
    await kill(ids, (i) => `Boom: ${i}`);
    const seen: string[] = [];
    let cursor;
    for (let pages = 0; pages < 10; pages++) {
      const page = await inspector.search({ status: 'dead', filter: { subject: 'even.x' }, pageSize: 2, cursor });
      seen.push(...page.messages.map((m) => m.id));
      expect(page.messages.every((m) => m.status === 'dead' && m.subject === 'even.x')).toBe(true);
      cursor = page.next;
      if (!cursor) break;
    }
    // Newest dead first: dead_at = now() - n s, so the first inserted is the newest.
    expect(seen).toEqual([ids[0], ids[2], ids[4], ids[6]]);
    const byGroup = await inspector.search({ filter: { groupKey: 'g1' } });
    expect(byGroup.messages.map((m) => m.id).sort()).toEqual([ids[1], ids[4]].sort());
    expect((await inspector.search({ filter: { ids: [ids[3]!] } })).messages.map((m) => m.id)).toEqual([ids[3]]);
  });

  it('reads one message with its payload cut at the limit', async () => {
    const [id] = await insertRows(pool, [{ subject: 'big.x', body: { text: 'x'.repeat(1000) }, headers: { tenant: 't1' } }]);
    const whole = await inspector.message(id!);
    expect(whole).toMatchObject({ subject: 'big.x', headers: { tenant: 't1' }, payloadTruncated: false, status: 'pending' });
    expect(JSON.parse(whole!.payloadText)).toEqual({ text: 'x'.repeat(1000) });
    const cut = await inspector.message(id!, { payloadLimit: 100 });
    expect(cut).toMatchObject({ payloadTruncated: true });
    expect(cut!.payloadText).toHaveLength(100);
    expect(await inspector.payload(id!)).toBe(JSON.stringify({ text: 'x'.repeat(1000) }).replace(':', ': '));
    expect(await inspector.message(crypto.randomUUID())).toBeUndefined();
  });
});
