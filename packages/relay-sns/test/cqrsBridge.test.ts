// @nestjs/cqrs through the outbox, on a real PostgreSQL and the real SQS endpoint: a producer app's
// aggregate.commit() inside @Transactional() writes its applied events to the outbox with the business
// write (nothing on rollback); its relay publishes them; a consumer app dispatches each received message
// onto its own EventBus, where an @EventsHandler runs once per event.
import 'reflect-metadata';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AggregateRoot, CqrsModule, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';
import { inboxTableDdl, outboxTableDdl } from '@tx-outbox/outbox-typeorm/internal';
import { OutboxCqrsModule, OutboxEvent, OutboxEventBridge } from '@tx-outbox/outbox-typeorm/cqrs';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import { DataSource } from 'typeorm';
import { addTransactionalDataSource, initializeTransactionalContext, StorageDriver, Transactional } from 'typeorm-transactional';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ConsumedMessage } from '../src/index.js';
import { OnOutboxMessage, OutboxConsumer, OutboxConsumerModule, OutboxRelayModule } from '../src/nest/index.js';
import { awsConfig, createQueue, queueDepth, waitFor } from './support/aws.js';

const CONNECTION = 'cqrs';
let db: TestDatabase;
let dataSource: DataSource;
let sqs: SQSClient;
let queueUrl: string;

// The domain, as a user writes it (decorators applied as calls: the test transform does not compile them).
class PaymentCaptured {
  constructor(readonly paymentId: string, readonly amountCents: number) {}
}
OutboxEvent<PaymentCaptured>('payment.captured', { groupKey: (e) => e.paymentId })(PaymentCaptured);
/** Not an outbox event: stays on the producer's in-memory bus. */
class PaymentNoted {
  constructor(readonly paymentId: string) {}
}
class Payment extends AggregateRoot {
  constructor(readonly id: string) {
    super();
  }
  capture(amountCents: number): void {
    this.apply(new PaymentCaptured(this.id, amountCents));
  }
  note(): void {
    this.apply(new PaymentNoted(this.id));
  }
}
class Rollback extends Error {}

class PaymentService {
  constructor(private readonly bridge: OutboxEventBridge) {}
  async capture(id: string, amounts: number[], fail = false): Promise<void> {
    const payment = this.bridge.mergeObjectContext(new Payment(id));
    for (const amount of amounts) payment.capture(amount);
    payment.note();
    await dataSource.query('INSERT INTO payments (id) VALUES ($1)', [id]);
    await payment.commit();
    if (fail) throw new Rollback();
  }
}
const capture = Object.getOwnPropertyDescriptor(PaymentService.prototype, 'capture')!;
Transactional({ connectionName: CONNECTION })(PaymentService.prototype, 'capture', capture);
Object.defineProperty(PaymentService.prototype, 'capture', capture);

const handled: { producer: object[]; consumer: object[] } = { producer: [], consumer: [] };
class ProducerNotedHandler implements IEventHandler<PaymentNoted> {
  handle(event: PaymentNoted) {
    handled.producer.push(event);
  }
}
EventsHandler(PaymentNoted)(ProducerNotedHandler);
class ProducerCapturedHandler implements IEventHandler<PaymentCaptured> {
  handle(event: PaymentCaptured) {
    handled.producer.push(event);
  }
}
EventsHandler(PaymentCaptured)(ProducerCapturedHandler);
class ConsumerCapturedHandler implements IEventHandler<PaymentCaptured> {
  handle(event: PaymentCaptured) {
    handled.consumer.push(event);
  }
}
EventsHandler(PaymentCaptured)(ConsumerCapturedHandler);

/** The consumer app's glue: every received payment message goes onto the local EventBus. */
class ReceivedPayments {
  constructor(private readonly bridge: OutboxEventBridge) {}
  receive(message: ConsumedMessage): void {
    if (!this.bridge.dispatch(message)) throw new Error(`no event class for ${message.subject}`);
  }
}
OnOutboxMessage('payment.*')(ReceivedPayments.prototype, 'receive', Object.getOwnPropertyDescriptor(ReceivedPayments.prototype, 'receive')!);

beforeAll(async () => {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  db = await createTestDatabase(inject('databaseUrl'), 'cqrs_bridge');
  dataSource = addTransactionalDataSource({ name: CONNECTION, dataSource: new DataSource({ type: 'postgres', url: db.url }) });
  await dataSource.initialize();
  for (const statement of [...outboxTableDdl(), ...inboxTableDdl()]) await dataSource.query(statement);
  await dataSource.query('CREATE TABLE payments (id text PRIMARY KEY)');
  sqs = new SQSClient(awsConfig());
  queueUrl = await createQueue(sqs, 'cqrs');
});
afterAll(async () => {
  sqs?.destroy();
  await dataSource?.destroy();
  await db?.drop();
});

async function producerApp(): Promise<INestApplicationContext> {
  class ProducerModule {}
  Module({
    imports: [
      CqrsModule.forRoot(),
      OutboxModule.forRoot({ connectionName: CONNECTION }),
      OutboxCqrsModule.forRoot(),
      OutboxRelayModule.forRoot({ dataSource, routes: `payment.*=${queueUrl}`, transportType: 'sqs', ...awsConfig(), pollIntervalMs: 100 }),
    ],
    providers: [
      { provide: PaymentService, useFactory: (bridge: OutboxEventBridge) => new PaymentService(bridge), inject: [OutboxEventBridge] },
      ProducerNotedHandler,
      ProducerCapturedHandler,
    ],
  })(ProducerModule);
  return NestFactory.createApplicationContext(ProducerModule, { logger: false });
}

async function consumerApp(): Promise<INestApplicationContext> {
  class ConsumerModule {}
  Module({
    imports: [
      CqrsModule.forRoot(),
      OutboxCqrsModule.forRoot(),
      OutboxConsumerModule.forRoot({
        ...awsConfig(),
        queueUrl,
        consumer: 'cqrs-reader',
        inbox: new TransactionalInboxStore({ dataSource, connectionName: CONNECTION }),
        waitTimeSeconds: 1,
      }),
    ],
    providers: [
      { provide: ReceivedPayments, useFactory: (bridge: OutboxEventBridge) => new ReceivedPayments(bridge), inject: [OutboxEventBridge] },
      ConsumerCapturedHandler,
    ],
  })(ConsumerModule);
  return NestFactory.createApplicationContext(ConsumerModule, { logger: false });
}

const outboxRows = async (paymentId: string) =>
  (await dataSource.query(`SELECT payload FROM outbox WHERE subject = 'payment.captured' AND group_key = $1 ORDER BY seq`, [paymentId])).map(
    (r: { payload: unknown }) => r.payload,
  );

describe('OutboxCqrsModule', () => {
  it('commit() in a rolled-back @Transactional() writes nothing; in a committed one its events reach the consumer EventBus once each', async () => {
    const producer = await producerApp();
    const consumer = await consumerApp();
    try {
      const payments = producer.get(PaymentService);

      await expect(payments.capture('p-rolled-back', [100], true)).rejects.toBeInstanceOf(Rollback);
      expect(await outboxRows('p-rolled-back')).toEqual([]);

      await payments.capture('p-1', [100, 250]);
      expect(await outboxRows('p-1')).toEqual([
        { paymentId: 'p-1', amountCents: 100 },
        { paymentId: 'p-1', amountCents: 250 },
      ]);

      const counts = consumer.get(OutboxConsumer).counts;
      await waitFor(() => counts.processed === 2 && handled.consumer.length === 2, 30_000);
      await waitFor(async () => (await queueDepth(sqs, queueUrl)) === 0, 30_000);

      // A standard SQS queue does not keep order, so the two arrivals are compared in amount order.
      const received = handled.consumer.map((e) => [e instanceof PaymentCaptured, { ...e }] as const);
      received.sort((a, b) => (a[1] as { amountCents: number }).amountCents - (b[1] as { amountCents: number }).amountCents);
      expect(received).toEqual([
        [true, { paymentId: 'p-1', amountCents: 100 }],
        [true, { paymentId: 'p-1', amountCents: 250 }],
      ]);
      expect(counts).toMatchObject({ processed: 2, duplicates: 0, failed: 0 });
      // The producer handled in memory only what is not an outbox event (one PaymentNoted per committed call… and per rolled-back one: in-memory events are not transactional).
      expect(handled.producer.map((e) => e.constructor.name)).toEqual(['PaymentNoted', 'PaymentNoted']);
    } finally {
      await consumer.close();
      await producer.close();
    }
  });
});
