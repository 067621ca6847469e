import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { InboxStore } from '@tx-outbox/outbox-core';
import { TransactionalInboxStore, clsTransactionSeam } from '@tx-outbox/outbox-typeorm';
import { PostgresInboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import { SqsConsumer, createSqsLambdaHandler, outboxMessageHandler, type ConsumedMessage, type SqsConsumerInboxOptions, type SqsEventRecord } from '@tx-outbox/relay-sns';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { INSERT_EFFECT } from '../../sql/consumerCostTables.js';
import { bareReceiveLoop, eachMessage } from './bareReceiveLoop.js';
import type { ConsumerPathId } from './ConsumerPath.js';

/** What a path counts while it runs. */
export interface PathCounts {
  processed: number;
  duplicates: number;
  /** Reported errors by `stage:name` (an in-progress duplicate put back, say). */
  errors: Record<string, number>;
}

/** One receive path, set up and ready: `run()` receives until every delivery was handled and acknowledged. */
export interface ConsumerPath {
  run(): Promise<void>;
  close(): Promise<void>;
}

export interface PathContext {
  sqs: SQSClient;
  queueUrl: string;
  pool: pg.Pool;
  databaseUrl: string;
  deliveries: number;
  counts: PathCounts;
}

const CONSUMER = 'bench-consumer';
const POOL_SIZE = 60;

/** The handler every path runs: one business row in a transaction of its own (BEGIN, INSERT, COMMIT). */
async function insertInOwnTransaction(pool: pg.Pool, id: string, subject: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(INSERT_EFFECT, [id, subject]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** What the floor reads of a message: the outbox id and subject attributes, and the parsed body. */
function decodeBare(m: Message): { id: string; subject: string; body: unknown } {
  const id = m.MessageAttributes?.['outbox-message-id']?.StringValue;
  if (!id) throw new Error('no outbox-message-id');
  return { id, subject: m.MessageAttributes?.subject?.StringValue ?? '', body: JSON.parse(m.Body ?? '') };
}

export async function setUpPath(path: ConsumerPathId, ctx: PathContext): Promise<ConsumerPath> {
  const { sqs, queueUrl, pool, counts } = ctx;
  const done = () => counts.processed + counts.duplicates >= ctx.deliveries;
  const report = (stage: string, error: unknown) => {
    const key = `${stage}:${(error as Error)?.name ?? 'Error'}`;
    counts.errors[key] = (counts.errors[key] ?? 0) + 1;
  };
  const onDuplicate = () => void counts.duplicates++;
  const plainHandler = async (m: ConsumedMessage) => {
    await insertInOwnTransaction(pool, m.id, m.subject);
    counts.processed++;
  };

  switch (path) {
    case 'floor-1':
    case 'floor-4':
      return bare(path === 'floor-1' ? 1 : 4, async (m) => {
        const { id, subject } = decodeBare(m);
        await insertInOwnTransaction(pool, id, subject);
        counts.processed++;
      });
    case 'floor-1-typeorm': {
      // The same handler as a TypeORM service writes it: what TypeORM itself costs, before any inbox.
      const { dataSource } = await typeormTransactional('async-local-storage');
      const { runInTransaction } = await import('typeorm-transactional');
      return withClose(
        bare(1, async (m) => {
          const { id, subject } = decodeBare(m);
          await runInTransaction(() => dataSource.query(INSERT_EFFECT, [id, subject]));
          counts.processed++;
        }),
        () => dataSource.destroy(),
      );
    }
    case 'consumer':
    case 'consumer-c50':
      return consumer({ handler: plainHandler, concurrency: path === 'consumer' ? undefined : 50 });
    case 'consumer-pg':
      return consumer({ handler: plainHandler, inbox: { store: new PostgresInboxStore({ pool }), consumer: CONSUMER, onDuplicate } });
    case 'consumer-tx':
    case 'consumer-tx-duplicates':
    case 'consumer-tx-cls-hooked': {
      const { dataSource, store } = await typeormTransactional(path === 'consumer-tx-cls-hooked' ? 'cls-hooked' : 'async-local-storage');
      return withClose(consumer({ handler: joinedHandler(dataSource), inbox: { store, consumer: CONSUMER, onDuplicate } }), () => dataSource.destroy());
    }
    case 'consumer-tx-nestjs-cls': {
      const { store, handler, close } = await nestjsCls();
      return withClose(consumer({ handler, inbox: { store, consumer: CONSUMER, onDuplicate } }), close);
    }
    case 'floor-1-handle-once': {
      const { dataSource, store } = await typeormTransactional('async-local-storage');
      return withClose(
        bare(1, async (m) => {
          const { id, subject } = decodeBare(m);
          const outcome = await store.handleOnce({ consumer: CONSUMER, messageId: id, payload: m.Body }, () => dataSource.query(INSERT_EFFECT, [id, subject]));
          if (outcome.status === 'duplicate') counts.duplicates++;
          else counts.processed++;
        }),
        () => dataSource.destroy(),
      );
    }
    case 'lambda': {
      const { dataSource, store } = await typeormTransactional('async-local-storage');
      const lambda = createSqsLambdaHandler({
        inbox: { store, consumer: CONSUMER, onDuplicate },
        handler: joinedHandler(dataSource),
        onError: (error, { stage }) => report(stage, error),
      });
      const loop = bareReceiveLoop(sqs, queueUrl, 1, async (messages) => {
        const { batchItemFailures } = await lambda({ Records: messages.map(toLambdaRecord) });
        const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        return messages.filter((m) => !failed.has(m.MessageId!));
      }, done);
      return { run: () => loop, close: () => dataSource.destroy() };
    }
    case 'outbox-message-handler': {
      const { dataSource, store } = await typeormTransactional('async-local-storage');
      const wrapped = outboxMessageHandler(joinedHandler(dataSource), { inbox: { store, consumer: CONSUMER, onDuplicate } });
      return withClose(bare(1, wrapped), () => dataSource.destroy());
    }
  }

  function joinedHandler(dataSource: DataSource) {
    // dataSource.query joins the transaction the inbox store opened around the handler.
    return async (m: ConsumedMessage) => {
      await dataSource.query(INSERT_EFFECT, [m.id, m.subject]);
      counts.processed++;
    };
  }

  function bare(loops: number, handler: (m: Message) => Promise<unknown>): ConsumerPath {
    return {
      run: () => bareReceiveLoop(sqs, queueUrl, loops, eachMessage((m) => handler(m).catch((error) => {
        report('handler', error);
        throw error;
      })), done),
      close: async () => undefined,
    };
  }

  function consumer(options: { handler: (m: ConsumedMessage) => Promise<void>; concurrency?: number; inbox?: SqsConsumerInboxOptions }): ConsumerPath {
    return {
      async run() {
        const c = new SqsConsumer({ client: sqs, queueUrl, ...options, onError: (error, { stage }) => report(stage, error) });
        c.start();
        await until(done);
        await c.stop();
      },
      close: async () => undefined,
    };
  }

  async function typeormTransactional(driver: 'async-local-storage' | 'cls-hooked'): Promise<{ dataSource: DataSource; store: TransactionalInboxStore }> {
    const { StorageDriver, addTransactionalDataSource, initializeTransactionalContext } = await import('typeorm-transactional');
    initializeTransactionalContext({ storageDriver: driver === 'cls-hooked' ? StorageDriver.CLS_HOOKED : StorageDriver.ASYNC_LOCAL_STORAGE });
    const dataSource = addTransactionalDataSource(new DataSource({ type: 'postgres', url: ctx.databaseUrl, extra: { max: POOL_SIZE } }));
    await dataSource.initialize();
    return { dataSource, store: new TransactionalInboxStore({ dataSource }) };
  }

  async function nestjsCls(): Promise<{ store: InboxStore; handler: (m: ConsumedMessage) => Promise<void>; close: () => Promise<void> }> {
    const { Module } = await import('@nestjs/common');
    const { NestFactory } = await import('@nestjs/core');
    const { ClsModule } = await import('nestjs-cls');
    const { ClsPluginTransactional, TransactionHost } = await import('@nestjs-cls/transactional');
    const { TransactionalAdapterTypeOrm } = await import('@nestjs-cls/transactional-adapter-typeorm');
    const dataSource = new DataSource({ type: 'postgres', url: ctx.databaseUrl, extra: { max: POOL_SIZE } });
    await dataSource.initialize();
    // Decorators applied as calls, as in the library's own tests.
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
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const txHost = app.get(TransactionHost) as InstanceType<typeof TransactionHost<InstanceType<typeof TransactionalAdapterTypeOrm>>>;
    const store = new TransactionalInboxStore({ transactions: clsTransactionSeam(txHost) });
    const handler = async (m: ConsumedMessage) => {
      await txHost.tx.query(INSERT_EFFECT, [m.id, m.subject]);
      counts.processed++;
    };
    return {
      store,
      handler,
      close: async () => {
        await app.close();
        await dataSource.destroy();
      },
    };
  }
}

function withClose(path: ConsumerPath, close: () => Promise<unknown>): ConsumerPath {
  return { run: path.run, close: async () => void (await close()) };
}

/** Resolves once `condition` holds, checking every 2 ms (the drain's end, not a measured wait). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** An SDK message as Lambda's SQS event source would hand it over. */
function toLambdaRecord(m: Message): SqsEventRecord {
  const messageAttributes: SqsEventRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) messageAttributes[name] = { dataType: value.DataType ?? 'String', stringValue: value.StringValue };
  return { messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body ?? '', attributes: { ...(m.Attributes ?? {}) }, messageAttributes };
}
