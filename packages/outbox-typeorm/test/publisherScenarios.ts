// Publisher scenarios shared by one test file per typeorm-transactional storage driver (the driver is
// process-global, so each file initializes its own).
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource, EntitySchema } from 'typeorm';
import {
  Propagation,
  StorageDriver,
  addTransactionalDataSource,
  initializeTransactionalContext,
  runInTransaction,
} from 'typeorm-transactional';
import { getTransactionalContext } from 'typeorm-transactional/dist/common/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isThroughPgBouncer, openTestDatabase, type OpenedTestDatabase } from './fixtures/testDatabase.js';
import { type OutboxMessageInput } from '@tx-outbox/outbox-core';
import { DEFAULT_MAX_MESSAGE_BYTES, messageSize } from '@tx-outbox/outbox-core/internal';
import { waitFor } from '@tx-outbox/outbox-core/testing';
import { CreateOutboxTable1700000000000, TransactionalOutbox, createOutboxMigration } from '../src/index.js';

const Payment = new EntitySchema<{ id: string; amount: number }>({
  name: 'Payment',
  tableName: 'payment',
  columns: { id: { type: 'uuid', primary: true }, amount: { type: 'integer' } },
});

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Resolves to the error `fn` throws or rejects with; fails if it does not. */
async function errorOf(fn: () => unknown): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected an error, got none');
}

class Rollback extends Error {}

export function describePublisher(driver: StorageDriver.CLS_HOOKED | StorageDriver.ASYNC_LOCAL_STORAGE): void {
  initializeTransactionalContext({ storageDriver: driver });

  let db1: OpenedTestDatabase;
  let db2: OpenedTestDatabase;
  let ds1: DataSource;
  let ds2: DataSource;
  let pool1: pg.Pool;
  let pool2: pg.Pool;

  async function openDataSource(db: OpenedTestDatabase, extraMigrations: Function[] = []): Promise<DataSource> {
    const ds = new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [Payment],
      migrations: [CreateOutboxTable1700000000000, ...extraMigrations],
    });
    await ds.initialize();
    await ds.runMigrations();
    await ds.query('CREATE TABLE payment (id uuid PRIMARY KEY, amount integer NOT NULL)');
    return ds;
  }

  beforeAll(async () => {
    db1 = await openTestDatabase('publisher');
    db2 = await openTestDatabase('publisher2');
    ds1 = await openDataSource(db1, [
      createOutboxMigration({ schema: 'messaging', tableName: 'events', name: 'CreateMessagingEvents1700000000001' }),
    ]);
    ds2 = await openDataSource(db2);
    addTransactionalDataSource({ name: 'default', dataSource: ds1 });
    addTransactionalDataSource({ name: 'second', dataSource: ds2 });
    // The test's own eyes (and LISTEN clients) bypass any pooler; the code under test uses db.url.
    pool1 = new pg.Pool({ connectionString: db1.directUrl });
    pool2 = new pg.Pool({ connectionString: db2.directUrl });
  });
  afterAll(async () => {
    await ds1?.destroy();
    await ds2?.destroy();
    await pool1?.end();
    await pool2?.end();
    await db1?.drop();
    await db2?.drop();
  });
  beforeEach(async () => {
    await pool1.query('TRUNCATE outbox, messaging.events, payment');
    await pool2.query('TRUNCATE outbox, payment');
  });

  const outbox = new TransactionalOutbox();
  const msg = (subject = 'payment.created', extra: Partial<OutboxMessageInput> = {}): OutboxMessageInput => ({
    subject,
    body: { n: subject },
    ...extra,
  });
  const tx = <T>(fn: () => Promise<T>, propagation = Propagation.REQUIRED, connectionName = 'default') =>
    runInTransaction(fn, { propagation, connectionName });
  const savePayment = () => ds1.getRepository(Payment).save({ id: randomUUID(), amount: 100 });
  /** Committed outbox subjects, in seq order, as another connection sees them. */
  const subjects = async (pool = pool1, table = 'outbox') =>
    (await pool.query(`SELECT subject FROM ${table} ORDER BY seq`)).rows.map((r) => r.subject as string);
  const payments = async () => Number((await pool1.query('SELECT count(*) FROM payment')).rows[0].count);

  it(`runs on the ${driver} storage driver`, () => {
    const expected = driver === StorageDriver.CLS_HOOKED ? 'ClsHookedDriver' : 'AsyncLocalStorageDriver';
    expect(getTransactionalContext().constructor.name).toBe(expected);
  });

  describe('commit and rollback', () => {
    it('commit ⇒ exactly one row with the given fields', async () => {
      const body = { paymentId: 'p-1', amount: 4200, lines: [{ sku: 'a', qty: 2 }, null], note: 'ünïcode "quoted" \\ \u{1F600}' };
      const id = await tx(() =>
        outbox.sendEvent({
          subject: 'payment.created',
          body,
          headers: { tenant: 't-1', 'trace.id': 'abc' },
          groupKey: 'account-7',
          dedupId: 'dedup-1',
          delayMs: 90_000,
        }),
      );
      expect(id).toMatch(UUID_V7);
      const { rows } = await pool1.query(
        `SELECT *, available_at >= created_at + interval '90 seconds' AS delayed FROM outbox`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id,
        subject: 'payment.created',
        payload: body,
        headers: { tenant: 't-1', 'trace.id': 'abc' },
        group_key: 'account-7',
        dedup_id: 'dedup-1',
        attempts: 0,
        locked_by: null,
        locked_until: null,
        last_error: null,
        sent_at: null,
        dead_at: null,
        delayed: true,
      });
    });

    it('without optional fields: empty headers, null keys, due at once (not waiting)', async () => {
      const id = await tx(() => outbox.sendEvent({ subject: 'x', body: null }));
      const { rows } = await pool1.query('SELECT payload, headers, group_key, dedup_id, available_at FROM outbox WHERE id = $1', [id]);
      expect(rows).toEqual([{ payload: null, headers: {}, group_key: null, dedup_id: null, available_at: null }]);
    });

    it('the motivating case: payment saved, event sent, a later step throws ⇒ neither exists', async () => {
      const err = await errorOf(() =>
        tx(async () => {
          await savePayment();
          await outbox.sendEvent(msg('payment.created'));
          throw new Error('card declined');
        }),
      );
      expect(err.message).toBe('card declined');
      expect(await payments()).toBe(0);
      expect(await subjects()).toEqual([]);
    });

    it('prepares no named statement by default, so a transaction-mode pooler cannot break it', async () => {
      const prepared = await tx(async () => {
        await outbox.sendEvent(msg('default.unnamed'));
        // ds1.query runs on the transaction's connection: the one the insert ran on.
        return ds1.query(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'tx_outbox_insert_%'`);
      });
      expect(prepared).toEqual([]);
      expect(await subjects()).toEqual(['default.unnamed']);
    });

    // Named statements are documented as unfit for a transaction-mode pooler (the next transaction may
    // land on a server connection where the name is unknown or taken): these two exist direct only.
    const direct = (name: string, body: () => Promise<void>) => {
      if (!isThroughPgBouncer()) it(name, body);
    };

    direct('with preparedStatements: true, names its prepared insert after a hash of the full SQL text', async () => {
      const named = new TransactionalOutbox({ preparedStatements: true });
      const prepared = await tx(async () => {
        await named.sendEvent(msg('prepared.named'));
        return ds1.query(`SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'tx_outbox_insert_%'`);
      });
      // Other tests may have prepared inserts for other tables on this connection: each must match too.
      expect(prepared.length).toBeGreaterThan(0);
      const hashName = (sql: string) => `tx_outbox_insert_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
      expect(prepared.map((p: { name: string }) => p.name)).toEqual(prepared.map((p: { statement: string }) => hashName(p.statement)));
    });

    direct('with preparedStatements: true, commits and rolls back the same way', async () => {
      const named = new TransactionalOutbox({ preparedStatements: true });
      await tx(() => named.sendEvent(msg('prepared.kept')));
      const err = await errorOf(() =>
        tx(async () => {
          await named.sendEvent(msg('prepared.rolled-back'));
          throw new Error('later step failed');
        }),
      );
      expect(err.message).toBe('later step failed');
      expect(await subjects()).toEqual(['prepared.kept']);
    });

    it('several calls in one transaction commit together', async () => {
      await tx(async () => {
        await savePayment();
        await outbox.sendEvent(msg('a'));
        await outbox.sendEvents([msg('b'), msg('c')]);
      });
      expect(await payments()).toBe(1);
      expect(await subjects()).toEqual(['a', 'b', 'c']);
    });
  });

  describe('propagation', () => {
    it('REQUIRED joins the outer transaction: outer rollback removes the inner message', async () => {
      await errorOf(() =>
        tx(async () => {
          await outbox.sendEvent(msg('outer'));
          await tx(async () => {
            await savePayment();
            await outbox.sendEvent(msg('inner'));
          }, Propagation.REQUIRED);
          throw new Rollback();
        }),
      );
      expect(await subjects()).toEqual([]);
      expect(await payments()).toBe(0);
      await tx(() => tx(() => outbox.sendEvent(msg('inner')), Propagation.REQUIRED));
      expect(await subjects()).toEqual(['inner']);
    });

    it('REQUIRES_NEW: the message commits with the inner transaction, even when the outer rolls back', async () => {
      let seenBeforeOuterEnds: string[] = [];
      await errorOf(() =>
        tx(async () => {
          await outbox.sendEvent(msg('outer'));
          await tx(async () => {
            await savePayment();
            await outbox.sendEvent(msg('inner'));
          }, Propagation.REQUIRES_NEW);
          seenBeforeOuterEnds = await subjects();
          throw new Rollback();
        }),
      );
      expect(seenBeforeOuterEnds).toEqual(['inner']);
      expect(await subjects()).toEqual(['inner']);
      expect(await payments()).toBe(1);
    });

    it('NESTED: an inner rollback removes its message, the outer continues and commits', async () => {
      await tx(async () => {
        await outbox.sendEvent(msg('before'));
        const err = await errorOf(() =>
          tx(async () => {
            await savePayment();
            await outbox.sendEvent(msg('inner'));
            throw new Rollback();
          }, Propagation.NESTED),
        );
        expect(err).toBeInstanceOf(Rollback);
        await outbox.sendEvent(msg('after'));
      });
      expect(await subjects()).toEqual(['before', 'after']);
      expect(await payments()).toBe(0);
    });

    it('NESTED: the message shares the fate of the business write made in the same scope', async () => {
      // typeorm-transactional 0.5 runs NESTED as its own transaction (no savepoint), so a committed
      // nested scope survives an outer rollback. The outbox row must behave exactly like the payment.
      await errorOf(() =>
        tx(async () => {
          await outbox.sendEvent(msg('outer'));
          await tx(async () => {
            await savePayment();
            await outbox.sendEvent(msg('inner'));
          }, Propagation.NESTED);
          throw new Rollback();
        }),
      );
      expect(await payments()).toBe(1);
      expect(await subjects()).toEqual(['inner']);
    });

    it('NESTED without an outer transaction behaves like REQUIRED', async () => {
      await errorOf(() =>
        tx(async () => {
          await outbox.sendEvent(msg('n'));
          throw new Rollback();
        }, Propagation.NESTED),
      );
      await tx(() => outbox.sendEvent(msg('n')), Propagation.NESTED);
      expect(await subjects()).toEqual(['n']);
    });

    it('SUPPORTS without a transaction: refused, unless allowed (then committed on its own)', async () => {
      const err = await errorOf(() => tx(() => outbox.sendEvent(msg('s')), Propagation.SUPPORTS));
      expect(err.name).toBe('OutboxNotInTransactionError');
      expect(await subjects()).toEqual([]);
      await tx(() => outbox.sendEvent(msg('s'), { allowOutsideTransaction: true }), Propagation.SUPPORTS);
      expect(await subjects()).toEqual(['s']);
    });

    it.each([Propagation.SUPPORTS, Propagation.MANDATORY])('%s joins the outer transaction: outer rollback removes the message', async (propagation) => {
      await errorOf(() =>
        tx(async () => {
          await tx(() => outbox.sendEvent(msg('joined')), propagation);
          throw new Rollback();
        }),
      );
      expect(await subjects()).toEqual([]);
      await tx(() => tx(() => outbox.sendEvent(msg('joined')), propagation));
      expect(await subjects()).toEqual(['joined']);
    });

    it('MANDATORY without a transaction fails in typeorm-transactional before sendEvent runs', async () => {
      let called = false;
      const err = await errorOf(() =>
        tx(async () => {
          called = true;
          return outbox.sendEvent(msg('m'));
        }, Propagation.MANDATORY),
      );
      expect(err.name).toBe('TransactionalError');
      expect(called).toBe(false);
      expect(await subjects()).toEqual([]);
    });

    it('NOT_SUPPORTED suspends the transaction: refused, unless allowed (then independent of the outer)', async () => {
      await tx(async () => {
        const err = await errorOf(() => tx(() => outbox.sendEvent(msg('ns')), Propagation.NOT_SUPPORTED));
        expect(err.name).toBe('OutboxNotInTransactionError');
        // The outer transaction is resumed afterwards.
        await outbox.sendEvent(msg('outer'));
      });
      expect(await subjects()).toEqual(['outer']);

      await pool1.query('TRUNCATE outbox');
      await errorOf(() =>
        tx(async () => {
          await outbox.sendEvent(msg('outer'));
          await tx(() => outbox.sendEvent(msg('ns'), { allowOutsideTransaction: true }), Propagation.NOT_SUPPORTED);
          throw new Rollback();
        }),
      );
      expect(await subjects()).toEqual(['ns']);
    });

    it('NEVER without a transaction: refused, unless allowed', async () => {
      const err = await errorOf(() => tx(() => outbox.sendEvent(msg('nv')), Propagation.NEVER));
      expect(err.name).toBe('OutboxNotInTransactionError');
      expect(await subjects()).toEqual([]);
      await tx(() => outbox.sendEvent(msg('nv'), { allowOutsideTransaction: true }), Propagation.NEVER);
      expect(await subjects()).toEqual(['nv']);
    });

    it('NEVER inside a transaction fails in typeorm-transactional and nothing is written', async () => {
      const err = await errorOf(() => tx(() => tx(() => outbox.sendEvent(msg('nv')), Propagation.NEVER)));
      expect(err.name).toBe('TransactionalError');
      expect(await subjects()).toEqual([]);
    });
  });

  describe('outside a transaction', () => {
    it('is refused with OutboxNotInTransactionError and writes nothing', async () => {
      const err = await errorOf(() => outbox.sendEvent(msg('x')));
      expect(err.name).toBe('OutboxNotInTransactionError');
      expect(err.message).toContain('a method decorated with @Transactional() from typeorm-transactional (or runInTransaction())');
      expect(err.message).not.toContain('@nestjs-cls');
      expect(await errorOf(() => outbox.sendEvents([msg('y')]))).toHaveProperty('name', 'OutboxNotInTransactionError');
      expect(await subjects()).toEqual([]);
    });

    it('with allowOutsideTransaction (on the outbox or per call) commits a row of its own', async () => {
      const lenient = new TransactionalOutbox({ allowOutsideTransaction: true });
      const id = await lenient.sendEvent(msg('own'));
      await outbox.sendEvent(msg('per-call'), { allowOutsideTransaction: true });
      expect((await pool1.query('SELECT id FROM outbox WHERE subject = $1', ['own'])).rows).toEqual([{ id }]);
      expect(await subjects()).toEqual(['own', 'per-call']);
      const err = await errorOf(() => lenient.sendEvent(msg('no'), { allowOutsideTransaction: false }));
      expect(err.name).toBe('OutboxNotInTransactionError');
      expect(await subjects()).toEqual(['own', 'per-call']);
    });

    it('a continuation that outlives its transaction is refused', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let late!: Promise<unknown>;
      await tx(async () => {
        await outbox.sendEvent(msg('in'));
        late = gate.then(() => outbox.sendEvent(msg('late'))).catch((err: unknown) => err);
      });
      release();
      expect(await late).toHaveProperty('name', 'OutboxNotInTransactionError');
      expect(await subjects()).toEqual(['in']);
    });

    it('a transaction whose connection was lost is refused, even with allowOutsideTransaction (no phantom)', async () => {
      const err = await errorOf(() =>
        tx(async () => {
          await savePayment();
          await outbox.sendEvent(msg('before-loss'));
          const [{ pid }] = await ds1.query('SELECT pg_backend_pid() AS pid');
          // The patched manager is the transaction's: its query runner is the one the outbox would join.
          const runner = ds1.manager.queryRunner!;
          await pool1.query('SELECT pg_terminate_backend($1)', [pid]);
          // Wait for the client to see the server's FATAL: TypeORM then marks the query runner released.
          await waitFor(() => runner.isReleased, { description: 'the terminated transaction released' });
          await outbox.sendEvent(msg('after-loss'), { allowOutsideTransaction: true });
        }),
      );
      expect(err.name).toBe('TransactionEndedError');
      expect(await subjects()).toEqual([]);
      expect(await payments()).toBe(0);
    });
  });

  describe('several data sources', () => {
    const second = new TransactionalOutbox({ connectionName: 'second' });

    it('each outbox writes only through its own data source transaction', async () => {
      await tx(async () => {
        await outbox.sendEvent(msg('to-db1'));
        await tx(() => second.sendEvent(msg('to-db2')), Propagation.REQUIRED, 'second');
      });
      expect(await subjects(pool1)).toEqual(['to-db1']);
      expect(await subjects(pool2)).toEqual(['to-db2']);
    });

    it('a rollback of one data source leaves the other untouched', async () => {
      await tx(async () => {
        await outbox.sendEvent(msg('kept'));
        await errorOf(() =>
          tx(async () => {
            await second.sendEvent(msg('dropped'));
            throw new Rollback();
          }, Propagation.REQUIRED, 'second'),
        );
      });
      expect(await subjects(pool1)).toEqual(['kept']);
      expect(await subjects(pool2)).toEqual([]);
    });

    it("does not borrow another data source's transaction", async () => {
      const err = await errorOf(() => tx(() => second.sendEvent(msg('x'))));
      expect(err.name).toBe('OutboxNotInTransactionError');
      expect(await subjects(pool1)).toEqual([]);
      expect(await subjects(pool2)).toEqual([]);
    });

    it('refuses a dataSource option that is not the one registered under connectionName', async () => {
      const mismatched = new TransactionalOutbox({ dataSource: ds2 });
      const err = await errorOf(() => tx(() => mismatched.sendEvent(msg('x'))));
      expect([err.name, err.option]).toEqual(['InvalidOptionError', 'connectionName']);
      expect(await subjects(pool1)).toEqual([]);
      expect(await subjects(pool2)).toEqual([]);
    });
  });

  describe('volume', () => {
    it('200 concurrent transactions each sending one message ⇒ 200 rows with distinct ids', async () => {
      const ids = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          tx(async () => {
            await savePayment();
            return outbox.sendEvent(msg(`m${i}`, { groupKey: `g${i % 7}` }));
          }),
        ),
      );
      expect(new Set(ids).size).toBe(200);
      const { rows } = await pool1.query('SELECT id FROM outbox');
      expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
      expect(await payments()).toBe(200);
    });

    it('sendEvents of 2500 messages in one call ⇒ 2500 rows, in the given order', async () => {
      const messages = Array.from({ length: 2500 }, (_, i) => msg(`bulk.${i}`, { headers: { i: String(i) }, delayMs: i % 3 }));
      const ids = await tx(() => outbox.sendEvents(messages));
      expect(ids).toHaveLength(2500);
      const { rows } = await pool1.query('SELECT id, subject FROM outbox ORDER BY seq');
      expect(rows.map((r) => r.id)).toEqual(ids);
      expect(rows.map((r) => r.subject)).toEqual(messages.map((m) => m.subject));
    });

    it('sendEvents([]) writes nothing and returns no ids', async () => {
      expect(await tx(() => outbox.sendEvents([]))).toEqual([]);
      expect(await subjects()).toEqual([]);
    });
  });

  describe('bad input is refused before anything is written', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const cases: Array<[string, OutboxMessageInput, string, string]> = [
      ['a BigInt in the body', { subject: 's', body: { amount: 10n } }, 'NonSerializableBodyError', 'body'],
      ['a cycle in the body', { subject: 's', body: cycle }, 'NonSerializableBodyError', 'body'],
      ['a function in the body', { subject: 's', body: { f: () => 1 } }, 'NonSerializableBodyError', 'body'],
      ['an undefined body', { subject: 's', body: undefined }, 'NonSerializableBodyError', 'body'],
      ['a body over 1 MiB', { subject: 's', body: 'x'.repeat(1024 * 1024) }, 'MessageTooLargeError', 'body'],
      ['an empty subject', { subject: '', body: {} }, 'InvalidSubjectError', 'subject'],
      ['a subject with a space (a FIFO group id when there is no groupKey)', { subject: 'payment created', body: {} }, 'InvalidSubjectError', 'subject'],
      ['a subject over 128 characters', { subject: 's'.repeat(129), body: {} }, 'InvalidSubjectError', 'subject'],
      ['a subject with a control character', { subject: 's\u0007', body: {} }, 'InvalidSubjectError', 'subject'],
      ['a non-string header value', { subject: 's', body: {}, headers: { n: 1 as unknown as string } }, 'InvalidHeaderError', 'headers'],
      ['an empty header value', { subject: 's', body: {}, headers: { n: '' } }, 'InvalidHeaderError', 'headers'],
      ['an empty header name', { subject: 's', body: {}, headers: { '': 'v' } }, 'InvalidHeaderError', 'headers'],
      ['a header named __proto__', { subject: 's', body: {}, headers: JSON.parse('{"__proto__":"v"}') }, 'InvalidHeaderError', 'headers'],
      ['a header named AWS.x', { subject: 's', body: {}, headers: { 'AWS.x': 'v' } }, 'InvalidHeaderError', 'headers'],
      ['a header named a..b', { subject: 's', body: {}, headers: { 'a..b': 'v' } }, 'InvalidHeaderError', 'headers'],
      ['a header named outbox-message-id', { subject: 's', body: {}, headers: { 'outbox-message-id': 'v' } }, 'InvalidHeaderError', 'headers'],
      ['a header value with U+FFFF', { subject: 's', body: {}, headers: { n: '\uFFFF' } }, 'InvalidHeaderError', 'headers'],
      ['a header value with a control character', { subject: 's', body: {}, headers: { n: 'a\u0002' } }, 'InvalidHeaderError', 'headers'],
      ['a groupKey over 128 characters', { subject: 's', body: {}, groupKey: 'g'.repeat(129) }, 'InvalidFifoIdError', 'groupKey'],
      ['a groupKey with a space', { subject: 's', body: {}, groupKey: 'order 1' }, 'InvalidFifoIdError', 'groupKey'],
      ['a dedupId over 128 characters', { subject: 's', body: {}, dedupId: 'd'.repeat(129) }, 'InvalidFifoIdError', 'dedupId'],
      ['a dedupId with a non-ASCII letter', { subject: 's', body: {}, dedupId: 'é' }, 'InvalidFifoIdError', 'dedupId'],
      ['delayMs 1e12', { subject: 's', body: {}, delayMs: 1e12 }, 'InvalidDelayError', 'delayMs'],
      ['delayMs NaN', { subject: 's', body: {}, delayMs: Number.NaN }, 'InvalidDelayError', 'delayMs'],
      ['a negative delayMs', { subject: 's', body: {}, delayMs: -5 }, 'InvalidDelayError', 'delayMs'],
      ['U+FFFF in the body', { subject: 's', body: { note: '\uFFFF' } }, 'UnpublishableCharacterError', 'body'],
    ];

    it.each(cases)('%s', async (_label, bad, name, field) => {
      // Inside a transaction that goes on to commit: only validation can keep the row out.
      await tx(async () => {
        const err = await errorOf(() => outbox.sendEvent(bad));
        expect([err.name, err.field]).toEqual([name, field]);
        const batchErr = await errorOf(() => outbox.sendEvents([msg('good'), bad]));
        expect(batchErr.name).toBe(name);
      });
      // Outside, with its own transaction allowed: refused before that transaction starts.
      expect(await errorOf(() => outbox.sendEvent(bad, { allowOutsideTransaction: true }))).toHaveProperty('name', name);
      expect(await subjects()).toEqual([]);
    });

    it('refuses a body that fits the 1 MiB limit as compact JSON but not as the jsonb text the relay reads', async () => {
      // n keys {"kNNNNNN":0,...}: the jsonb text adds a space after each of the n colons and n-1 commas.
      const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${String(i).padStart(6, '0')}`, 0]));
      const size = (body: unknown) => messageSize({ subject: 's', payload: JSON.stringify(body) });
      // Each entry "kNNNNNN":0 is 12 bytes, plus n-1 commas and the braces: 13n + 1 bytes compact.
      const n = Math.floor((DEFAULT_MAX_MESSAGE_BYTES - messageSize({ subject: 's', payload: '' }) - 1) / 13);
      const body = keys(n);
      expect(size(body)).toBeLessThanOrEqual(DEFAULT_MAX_MESSAGE_BYTES);
      const err = await tx(() => errorOf(() => outbox.sendEvent({ subject: 's', body })));
      expect([err.name, err.sizeBytes]).toEqual(['MessageTooLargeError', size(body) + 2 * n - 1]);
      expect(await subjects()).toEqual([]);
    });

    it('honours a smaller maxMessageBytes', async () => {
      const small = new TransactionalOutbox({ maxMessageBytes: 1000 });
      const err = await tx(() => errorOf(() => small.sendEvent({ subject: 's', body: 'y'.repeat(2000) })));
      expect([err.name, err.limitBytes]).toEqual(['MessageTooLargeError', 1000]);
      expect(await subjects()).toEqual([]);
    });

    it.each([
      [{ tableName: 'outbox; drop table x' }],
      [{ tableName: 'a.b' }],
      [{ schema: 'a b' }],
      [{ schema: 'public"; --' }],
    ])('refuses %j at construction with InvalidIdentifierError', async (options) => {
      expect((await errorOf(() => new TransactionalOutbox(options))).name).toBe('InvalidIdentifierError');
    });

    it.each([
      ['maxMessageBytes', { maxMessageBytes: 0 }],
      ['maxMessageBytes', { maxMessageBytes: 1.5 }],
      ['notify', { notify: 'yes' }],
      ['preparedStatements', { preparedStatements: 1 }],
      ['allowOutsideTransaction', { allowOutsideTransaction: 1 }],
      ['connectionName', { connectionName: '' }],
      ['dataSource', { dataSource: {} }],
      ['dataSource', { dataSource: { transaction() {}, options: { type: 'mysql' } } }],
    ])('refuses a bad %s at construction with InvalidOptionError', async (option, options) => {
      const err = await errorOf(() => new TransactionalOutbox(options as never));
      expect([err.name, err.option]).toEqual(['InvalidOptionError', option]);
    });
  });

  describe('NOTIFY wake-up', () => {
    it('a LISTEN client hears each committing transaction once, and nothing from a rollback or notify: false', async () => {
      const listener = new pg.Client({ connectionString: db1.directUrl });
      await listener.connect();
      try {
        const heard: string[] = [];
        let onSecond!: () => void;
        const twoHeard = new Promise<void>((resolve) => (onSecond = resolve));
        listener.on('notification', (n) => {
          heard.push(n.channel);
          if (heard.length === 2) onSecond();
        });
        await listener.query('LISTEN outbox_notify');

        await tx(async () => {
          await outbox.sendEvent(msg('a'));
          await outbox.sendEvents([msg('b'), msg('c')]);
        });
        await errorOf(() =>
          tx(async () => {
            await outbox.sendEvent(msg('rolled-back'));
            throw new Rollback();
          }),
        );
        await tx(() => new TransactionalOutbox({ notify: false }).sendEvent(msg('quiet')));
        await tx(() => outbox.sendEvent(msg('marker')));

        await twoHeard;
        // Notifications arrive in commit order; a round trip flushes anything still in flight.
        await listener.query('SELECT 1');
        expect(heard).toEqual(['outbox_notify', 'outbox_notify']);
        expect(await subjects()).toEqual(['a', 'b', 'c', 'quiet', 'marker']);
      } finally {
        await listener.end();
      }
    });
  });

  describe('custom schema and table', () => {
    it('writes to the configured table and signals its own channel', async () => {
      const events = new TransactionalOutbox({ schema: 'messaging', tableName: 'events' });
      const listener = new pg.Client({ connectionString: db1.directUrl });
      await listener.connect();
      try {
        const heard = new Promise<string>((resolve) => listener.once('notification', (n) => resolve(n.channel)));
        await listener.query('LISTEN messaging_events_notify');
        await errorOf(() =>
          tx(async () => {
            await events.sendEvent(msg('dropped'));
            throw new Rollback();
          }),
        );
        const id = await tx(() => events.sendEvent(msg('custom')));
        expect(await heard).toBe('messaging_events_notify');
        expect((await pool1.query('SELECT id, subject FROM messaging.events')).rows).toEqual([{ id, subject: 'custom' }]);
        expect(await subjects()).toEqual([]);
      } finally {
        await listener.end();
      }
    });
  });
}
