import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CreateInboxTable1700000000001, TransactionalInboxStore, createTransactionalDataSource } from '@tx-outbox/outbox-typeorm';
import { paymentEvents } from '@tx-outbox/example-payment-service/events';
import { OutboxConsumer, OutboxConsumerModule } from '@tx-outbox/relay-sns/nest';
import { DataSource } from 'typeorm';
import { StorageDriver, initializeTransactionalContext } from 'typeorm-transactional';
import { countDelivery, type DeliveryOutcome } from './countDelivery.js';
import { CreateNotificationTables1700000002000 } from './migrations/CreateNotificationTables1700000002000.js';
import { Notification } from './Notification.js';
import { CONSUMER_NAME, NotificationHandler } from './NotificationHandler.js';

export interface NotificationConsumerOptions {
  databaseUrl: string;
  queueUrl: string;
  /** SNS/SQS endpoint override (a local emulator). @defaultValue the AWS endpoint of the region */
  endpoint?: string;
  /** @defaultValue `AWS_REGION`, else `us-east-1` */
  region?: string;
}

export interface RunningNotificationConsumer {
  /** Stops receiving, lets running handlers finish, closes the database. */
  stop(): Promise<void>;
}

/**
 * Starts a Nest application context: TypeOrmModule connects (retrying while the database is not up
 * yet) and migrates (the library's inbox table, then the consumer's own tables), and OutboxConsumerModule
 * finds `NotificationHandler`'s `@OnOutboxMessage` methods. Initializes typeorm-transactional, so run
 * one per process.
 */
export async function startNotificationConsumer(options: NotificationConsumerOptions): Promise<RunningNotificationConsumer> {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });

  // Duplicates and failures open no transaction of the handler's: they are counted on their own, and
  // the counts still being written are awaited before the database closes.
  const counting = new Set<Promise<void>>();
  let dataSource: DataSource | undefined;
  const count = (outcome: DeliveryOutcome) => {
    if (!dataSource) return;
    const write = countDelivery(dataSource, CONSUMER_NAME, outcome).catch(() => undefined);
    counting.add(write);
    void write.finally(() => counting.delete(write));
  };

  @Module({
    imports: [
      TypeOrmModule.forRootAsync({
        useFactory: () => ({
          type: 'postgres' as const,
          url: options.databaseUrl,
          entities: [Notification],
          migrations: [CreateInboxTable1700000000001, CreateNotificationTables1700000002000],
          migrationsRun: true,
          migrationsTableName: 'notification_consumer_migrations',
          // Tried again for a minute while the database is not up, each failure logged with its real error.
          retryAttempts: 60,
          retryDelay: 1_000,
        }),
        // typeorm-transactional must know the DataSource for the inbox's transactions; this registration
        // survives @nestjs/typeorm's connection retries.
        dataSourceFactory: createTransactionalDataSource,
      }),
      OutboxConsumerModule.forRootAsync({
        inject: [DataSource],
        useFactory: (source: DataSource) => ({
          queueUrl: options.queueUrl,
          endpoint: options.endpoint,
          region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
          consumer: CONSUMER_NAME,
          contract: paymentEvents, // bodies checked against the payment service's schemas before a handler runs
          inbox: new TransactionalInboxStore({ dataSource: source }),
          concurrency: 10,
          // A failed handler is retried after 1 s: a demo setting. In production give it the queue's visibility
          // timeout or more, and a maxReceiveCount that outlasts your outages (relay-sns README, redrive settings).
          retryDelaySeconds: 1,
          onDuplicate: () => count('duplicate'),
          onError: (error, { stage, message }) => {
            if (stage === 'handler') count('failed');
            process.stderr.write(JSON.stringify({ event: 'error', stage, messageId: message?.id, error: String(error) }) + '\n');
          },
        }),
      }),
    ],
    providers: [NotificationHandler],
  })
  class NotificationConsumerModule {}

  const app = await NestFactory.createApplicationContext(NotificationConsumerModule, { logger: ['error', 'warn'] });
  dataSource = app.get(DataSource);
  return {
    async stop() {
      // The consumer drains first, then the counts it started are written, then Nest closes the DataSource.
      await app.get(OutboxConsumer).beforeApplicationShutdown();
      while (counting.size > 0) await Promise.all(counting);
      await app.close();
    },
  };
}
