// OutboxConsumerModule in a real Nest app: @OnOutboxMessage handlers discovered at bootstrap, each
// run through TransactionalInboxStore on a real PostgreSQL, messages from the real SQS endpoint.
import 'reflect-metadata';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Module, type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';
import { inboxTableDdl } from '@tx-outbox/outbox-typeorm/internal';
import { DataSource } from 'typeorm';
import { addTransactionalDataSource, initializeTransactionalContext, StorageDriver } from 'typeorm-transactional';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConsumedMessage } from '../src/index.js';
import { SqsTransport } from '../src/index.js';
import { OnOutboxMessage, OutboxConsumer, OutboxConsumerModule } from '../src/nest/index.js';
import { awsConfig, createQueue, outboxMessage, queueDepth, uniqueName, waitFor } from './support/aws.js';
import { testEvents } from './support/testContract.js';

let db: TestDatabase;
let dataSource: DataSource;
let sqs: SQSClient;

beforeAll(async () => {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  db = await createTestDatabase(inject('databaseUrl'), 'nest_consumer');
  dataSource = addTransactionalDataSource({ name: 'consumer', dataSource: new DataSource({ type: 'postgres', url: db.url }) });
  await dataSource.initialize();
  for (const statement of inboxTableDdl()) await dataSource.query(statement);
  await dataSource.query(`CREATE TABLE effects (outbox_id text NOT NULL, handler text NOT NULL)`);
  sqs = new SQSClient(awsConfig());
});
afterAll(async () => {
  sqs?.destroy();
  await dataSource?.destroy();
  await db?.drop();
});

/** A user's provider with two handlers; the prefix one fails once for a body marked `fail`. */
class PaymentHandlers {
  attempts = new Map<string, number>();

  async created(message: ConsumedMessage): Promise<void> {
    await dataSource.query(`INSERT INTO effects VALUES ($1, 'created')`, [message.id]);
  }

  async anyPayment(message: ConsumedMessage): Promise<void> {
    const attempt = (this.attempts.get(message.id) ?? 0) + 1;
    this.attempts.set(message.id, attempt);
    // Written inside the handler's transaction: rolled back when the handler throws below.
    await dataSource.query(`INSERT INTO effects VALUES ($1, 'anyPayment')`, [message.id]);
    if ((message.body as { fail?: boolean }).fail && attempt === 1) throw new Error('downstream refused, try again');
  }
}
// Decorators applied as calls: the test transform does not compile decorator syntax.
for (const [method, pattern] of [['created', 'payment.created'], ['anyPayment', 'payment.*']] as const) {
  OnOutboxMessage(pattern)(PaymentHandlers.prototype, method, Object.getOwnPropertyDescriptor(PaymentHandlers.prototype, method)!);
}

async function createApp(queueUrl: string, handlers: PaymentHandlers, errors: unknown[], inboxRetentionIntervalMs = 60_000): Promise<INestApplicationContext> {
  class AppModule {}
  Module({
    imports: [
      OutboxConsumerModule.forRootAsync({
        useFactory: () => ({
          ...awsConfig(),
          queueUrl,
          consumer: 'payments-reader',
          inbox: new TransactionalInboxStore({ dataSource, connectionName: 'consumer' }),
          waitTimeSeconds: 1,
          retryDelaySeconds: 0,
          inboxRetentionIntervalMs,
          onError: (error: unknown) => errors.push(error),
        }),
      }),
    ],
    providers: [{ provide: PaymentHandlers, useValue: handlers }],
  })(AppModule);
  return NestFactory.createApplicationContext(AppModule, { logger: false });
}

async function effects(): Promise<Array<{ outbox_id: string; handler: string }>> {
  return dataSource.query(`SELECT outbox_id, handler FROM effects ORDER BY handler, outbox_id`);
}

describe('OutboxConsumerModule', () => {
  it('routes by subject and prefix once each, suppresses and counts a duplicate, rolls back and redelivers a failure', async () => {
    const queueUrl = await createQueue(sqs, 'nest-consumer');
    const handlers = new PaymentHandlers();
    const errors: unknown[] = [];
    const app = await createApp(queueUrl, handlers, errors);
    const consumer = app.get(OutboxConsumer);

    const created = outboxMessage({ subject: 'payment.created', body: { n: 1 } });
    const refunded = outboxMessage({ subject: 'payment.refunded', body: { n: 2 } });
    const flaky = outboxMessage({ subject: 'payment.captured', body: { n: 3, fail: true } });
    const transport = new SqsTransport({ client: sqs, routes: () => queueUrl });
    await transport.publish([created, refunded, flaky], { ordered: false });
    await waitFor(() => consumer.counts.processed === 3, 30_000);
    await transport.publish([created], { ordered: false }); // the same outbox id again
    await waitFor(() => consumer.counts.duplicates === 1, 30_000);
    await waitFor(async () => (await queueDepth(sqs, queueUrl)) === 0, 30_000);

    expect(await effects()).toEqual(
      [
        { outbox_id: flaky.id, handler: 'anyPayment' },
        { outbox_id: refunded.id, handler: 'anyPayment' },
        { outbox_id: created.id, handler: 'created' },
      ].sort((a, b) => a.handler.localeCompare(b.handler) || a.outbox_id.localeCompare(b.outbox_id)),
    );
    expect(handlers.attempts.get(flaky.id)).toBe(2);
    expect(consumer.counts).toMatchObject({ processed: 3, duplicates: 1, failed: 1 });
    expect(errors).toMatchObject([{ message: 'downstream refused, try again' }]);

    await app.close();
    expect(consumer.sqsConsumer?.running).toBe(false);
  });

  it('leaves a message no handler matches on the queue (unknownSubject: retry) with UnhandledSubjectError', async () => {
    const queueUrl = await createQueue(sqs, 'nest-consumer-unknown', { visibilityTimeout: 30 });
    const errors: unknown[] = [];
    const app = await createApp(queueUrl, new PaymentHandlers(), errors);
    await new SqsTransport({ client: sqs, routes: () => queueUrl }).publish([outboxMessage({ subject: 'order.placed' })], { ordered: false });
    await waitFor(() => errors.length > 0, 30_000);
    expect(errors[0]).toMatchObject({ name: 'UnhandledSubjectError', subject: 'order.placed' });
    await app.close();
    expect(await queueDepth(sqs, queueUrl)).toBe(1);
  });

  it('purges expired inbox records on its schedule: the inbox table shrinks', async () => {
    await dataSource.query(
      `INSERT INTO inbox (consumer, message_id, status, processed_at, expires_at)
       SELECT 'payments-reader', 'old-' || n, 'done', now() - interval '8 days', now() - interval '1 day' FROM generate_series(1, 30) n`,
    );
    const count = async () => (await dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE message_id LIKE 'old-%'`))[0].n as number;
    expect(await count()).toBe(30);
    const app = await createApp(await createQueue(sqs, 'nest-consumer-retention'), new PaymentHandlers(), [], 100);
    await waitFor(async () => (await count()) === 0, 30_000);
    expect(app.get(OutboxConsumer).counts.inboxPurged).toBeGreaterThanOrEqual(30);
    await app.close();
  });

  it('with a contract: handlers get bodies its schemas accept; a refused body is reported with its id and acknowledged, not retried', async () => {
    const queueUrl = await createQueue(sqs, 'nest-consumer-contract');
    const seen: unknown[] = [];
    const invalid: Array<{ name: string; messageId?: string }> = [];
    class Typed {
      created(message: ConsumedMessage) {
        seen.push(message.body);
      }
    }
    OnOutboxMessage('valibot.created')(Typed.prototype, 'created', Object.getOwnPropertyDescriptor(Typed.prototype, 'created')!);
    class AppModule {}
    Module({
      imports: [
        OutboxConsumerModule.forRoot({
          ...awsConfig(),
          queueUrl,
          consumer: 'typed-reader',
          inbox: new TransactionalInboxStore({ dataSource, connectionName: 'consumer' }),
          waitTimeSeconds: 1,
          contract: testEvents,
          onInvalidBody: (error) => invalid.push(error),
        }),
      ],
      providers: [{ provide: Typed, useValue: new Typed() }],
    })(AppModule);
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const good = outboxMessage({ subject: 'valibot.created', body: { paymentId: 'p-1', amountCents: 3 } });
    const bad = outboxMessage({ subject: 'valibot.created', body: { paymentId: 'p-2', amountCents: 1.5 } });
    await new SqsTransport({ client: sqs, routes: () => queueUrl }).publish([good, bad], { ordered: false });
    const counts = app.get(OutboxConsumer).counts;
    await waitFor(() => counts.processed === 2, 30_000);
    await app.close();
    expect(seen).toEqual([{ paymentId: 'p-1', amountCents: 3 }]);
    expect(invalid).toMatchObject([{ name: 'InvalidEventBodyError', messageId: bad.id, issues: [{ path: 'amountCents' }] }]);
    expect(counts.failed).toBe(0);
    expect(await queueDepth(sqs, queueUrl)).toBe(0);
  });

  it('without onError, a receive from a queue that does not exist is logged naming the queue URL and the wait before the next', async () => {
    const queueUrl = (await createQueue(sqs, 'sibling')).replace(/[^/]+$/, uniqueName('missing'));
    const warnings: string[] = [];
    const logger: LoggerService = { log() {}, error() {}, warn: (message: unknown) => void warnings.push(String(message)) };
    class AppModule {}
    Module({
      imports: [
        OutboxConsumerModule.forRoot({ ...awsConfig(), queueUrl, consumer: 'lost', inbox: new TransactionalInboxStore({ dataSource, connectionName: 'consumer' }), waitTimeSeconds: 1, extendVisibility: false }),
      ],
      providers: [{ provide: PaymentHandlers, useValue: new PaymentHandlers() }],
    })(AppModule);
    const app = await NestFactory.createApplicationContext(AppModule, { logger });
    try {
      await waitFor(() => warnings.length >= 1, 15_000);
      expect(warnings[0]).toMatch(/^ReceiveMessage from \S+ failed \(no such queue: check queueUrl, region and endpoint\); next receive in (0\.9|1|1\.[01]) s: QueueDoesNotExist/);
      expect(warnings[0]).toContain(queueUrl);
    } finally {
      await app.close();
    }
  });

  it('refuses two handlers for one pattern at bootstrap', async () => {
    class Twice {
      a() {}
      b() {}
    }
    for (const m of ['a', 'b'] as const) OnOutboxMessage('x.*')(Twice.prototype, m, Object.getOwnPropertyDescriptor(Twice.prototype, m)!);
    class AppModule {}
    Module({
      imports: [OutboxConsumerModule.forRoot({ ...awsConfig(), queueUrl: 'http://127.0.0.1:1/q', consumer: 'c', inbox: new TransactionalInboxStore({ dataSource, connectionName: 'consumer' }) })],
      providers: [{ provide: Twice, useValue: new Twice() }],
    })(AppModule);
    const failed = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false }).catch((e: Error) => e);
    expect(failed).toMatchObject({ name: 'OutboxHandlerConflictError', pattern: 'x.*' });
  });
});
