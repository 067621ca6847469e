// No commit waits for the relay's poll, and nothing of ours runs inside the user's transaction: the
// relay is woken by a NOTIFY sent after the commit (wakeUpOnCommit.ts). With a poll of an hour, a message
// published within the test's deadline (seconds) was published on that wake-up. Under typeorm-transactional,
// @nestjs-cls/transactional, an explicit manager and query runner, and through PgBouncer in transaction mode
// (LISTEN on its direct connection, as documented).
import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClsPluginTransactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { Relay } from '@tx-outbox/outbox-core';
import { TestTransport, waitFor } from '@tx-outbox/outbox-core/testing';
import pg from 'pg';
import { DataSource, type Logger as TypeOrmLogger, type QueryRunner } from 'typeorm';
import { addTransactionalDataSource, initializeTransactionalContext, runInTransaction, StorageDriver } from 'typeorm-transactional';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresOutboxStore } from '../src/postgres/outboxStore/PostgresOutboxStore.js';
import { TransactionalOutbox } from '../src/publisher/TransactionalOutbox.js';
import { clsTransactionSeam } from '../src/transaction/clsTransactionSeam.js';
import { createOutboxTable } from './fixtures/outboxTable.js';
import { openTestDatabase, pooledUrl, type OpenedTestDatabase } from './fixtures/testDatabase.js';

/** Far below the hour-long poll: a message published within it was woken up, not polled. */
const WOKEN_WITHIN_MS = 10_000;

/** Every statement TypeORM ran, with whether its query runner was in a transaction at the time. */
class RecordingLogger implements TypeOrmLogger {
  readonly inTransaction: string[] = [];
  logQuery(query: string, _parameters?: unknown[], queryRunner?: QueryRunner) {
    if (queryRunner?.isTransactionActive) this.inTransaction.push(query);
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

let db: OpenedTestDatabase;
let direct: pg.Pool;
let dataSource: DataSource;
let pooledDataSource: DataSource;
let logger: RecordingLogger;
let app: INestApplicationContext;
let txHost: TransactionHost<TransactionalAdapterTypeOrm>;
const relays: Relay[] = [];

beforeAll(async () => {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  db = await openTestDatabase('wake_up_after_commit');
  direct = new pg.Pool({ connectionString: db.url, max: 6 });
  await createOutboxTable(direct);
  logger = new RecordingLogger();
  dataSource = await new DataSource({ type: 'postgres', url: db.url, logger, logging: true, extra: { max: 60 } }).initialize();
  addTransactionalDataSource(dataSource);
  pooledDataSource = await new DataSource({ type: 'postgres', url: pooledUrl(db.url), name: 'pooled', extra: { max: 20 } }).initialize();
  addTransactionalDataSource({ name: 'pooled', dataSource: pooledDataSource });

  class DatabaseModule {}
  Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })(DatabaseModule);
  class AppModule {}
  Module({
    imports: [
      ClsModule.forRoot({
        global: true,
        plugins: [new ClsPluginTransactional({ imports: [DatabaseModule], adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }) })],
      }),
    ],
  })(AppModule);
  app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  txHost = app.get(TransactionHost);
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await app?.close();
  await pooledDataSource?.destroy();
  await dataSource?.destroy();
  await direct?.end();
  await db?.drop();
});

/** A relay that polls once an hour, claiming through `pool`; resolves once its first (empty) claim returned. */
async function startRelay(store: PostgresOutboxStore): Promise<TestTransport> {
  const transport = new TestTransport();
  const relay = new Relay({ store, transport, pollIntervalMs: 3_600_000, statsIntervalMs: 0 });
  let claims = 0;
  relay.on('batch:claimed', () => void (claims += 1));
  relays.push(relay);
  await relay.start();
  // After this first claim only a wake-up makes it claim again within the test.
  await waitFor(() => claims >= 1, { description: 'the first claim' });
  return transport;
}

class Rollback extends Error {}

/** One way of running a transaction, as a user's code does. */
interface Way {
  name: string;
  /** The subjects' prefix. */
  key: string;
  /** Runs `work` in a transaction; `send` writes one message in it. */
  tx: <T>(work: (send: (subject: string) => Promise<string>) => Promise<T>) => Promise<T>;
}

const ways: Way[] = [
  {
    name: 'typeorm-transactional',
    key: 'typeorm-transactional',
    tx: (work) => runInTransaction(() => work((subject) => new TransactionalOutbox().sendEvent({ subject, body: {} }))),
  },
  {
    name: '@nestjs-cls/transactional',
    key: 'cls',
    tx: (work) => txHost.withTransaction(() => work((subject) => new TransactionalOutbox({ transactions: clsTransactionSeam(txHost) }).sendEvent({ subject, body: {} }))),
  },
  {
    name: 'an explicit manager',
    key: 'manager',
    tx: (work) => dataSource.transaction((manager) => work((subject) => new TransactionalOutbox().sendEvent({ subject, body: {} }, { manager }))),
  },
  {
    name: 'an explicit query runner',
    key: 'query-runner',
    tx: async (work) => {
      const queryRunner = dataSource.createQueryRunner();
      await queryRunner.startTransaction();
      try {
        const result = await work((subject) => new TransactionalOutbox().sendEvent({ subject, body: {} }, { queryRunner }));
        await queryRunner.commitTransaction();
        return result;
      } catch (error) {
        await queryRunner.rollbackTransaction();
        throw error;
      } finally {
        await queryRunner.release();
      }
    },
  },
];

// One relay at a time: another one running would take some of the messages.
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

describe.each(ways)('with $name, an hour-long poll', (way) => {
  let transport: TestTransport;
  beforeEach(async () => {
    transport = await startRelay(new PostgresOutboxStore({ pool: direct }));
  });

  it('publishes one committed message on the wake-up after its commit', async () => {
    const id = await way.tx((send) => send(`${way.key}.one`));
    await waitFor(() => transport.publishedIds.includes(id), { timeoutMs: WOKEN_WITHIN_MS, description: 'published on the wake-up' });
  });

  it('publishes a burst of 50 concurrent transactions, each once', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => way.tx((send) => send(`${way.key}.burst.${i}`))));
    await waitFor(() => ids.every((id) => transport.publishedIds.includes(id)), { timeoutMs: WOKEN_WITHIN_MS, description: 'all 50 published' });
    expect(new Set(transport.publishedIds.filter((id) => ids.includes(id))).size).toBe(50);
  });

  it('never publishes a rolled-back transaction next to a committed one', async () => {
    const [, committed] = await Promise.all([
      way.tx(async (send) => {
        await send(`${way.key}.rolled-back`);
        throw new Rollback();
      }).catch((error: unknown) => (error instanceof Rollback ? undefined : Promise.reject(error))),
      way.tx((send) => send(`${way.key}.committed`)),
    ]);
    await waitFor(() => transport.publishedIds.includes(committed!), { timeoutMs: WOKEN_WITHIN_MS, description: 'the committed one published' });
    expect(transport.published.map((m) => m.subject)).not.toContain(`${way.key}.rolled-back`);
    expect((await direct.query('SELECT count(*)::int AS n FROM outbox WHERE subject = $1', [`${way.key}.rolled-back`])).rows[0].n).toBe(0);
  });
});

it('sends nothing but the row inside the user\'s transaction: no NOTIFY there', async () => {
  logger.inTransaction.length = 0;
  const transport = await startRelay(new PostgresOutboxStore({ pool: direct }));
  const id = await runInTransaction(() => new TransactionalOutbox().sendEvent({ subject: 'quiet.transaction', body: { n: 1 } }));
  await waitFor(() => transport.publishedIds.includes(id), { timeoutMs: WOKEN_WITHIN_MS, description: 'published on the wake-up' });
  const ours = logger.inTransaction.filter((q) => /outbox/i.test(q) || /notify/i.test(q));
  expect(ours.length).toBeGreaterThan(0);
  expect(ours.filter((q) => /notify/i.test(q))).toEqual([]);
  expect(ours.filter((q) => /^INSERT INTO "outbox"/.test(q))).toHaveLength(1);
});

it('through PgBouncer in transaction mode (LISTEN on a direct connection) the wake-up arrives too', async () => {
  const listenPool = new pg.Pool({ connectionString: db.directUrl, max: 1 });
  const pooledPool = new pg.Pool({ connectionString: pooledUrl(db.url), max: 4 });
  try {
    const transport = await startRelay(new PostgresOutboxStore({ pool: pooledPool, listenPool }));
    const outbox = new TransactionalOutbox({ connectionName: 'pooled' });
    const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => runInTransaction(() => outbox.sendEvent({ subject: `pooled.${i}`, body: {} }), { connectionName: 'pooled' })));
    await waitFor(() => ids.every((id) => transport.publishedIds.includes(id)), { timeoutMs: WOKEN_WITHIN_MS, description: 'published through the pooler' });
  } finally {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await listenPool.end();
    await pooledPool.end();
  }
});
