import { CreateInboxTable1700000000001, TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';
import { SqsConsumer } from '@tx-outbox/relay-sns';
import { DataSource } from 'typeorm';
import { StorageDriver, addTransactionalDataSource, initializeTransactionalContext } from 'typeorm-transactional';
import { CreateNotificationTables1700000002000 } from './migrations/CreateNotificationTables1700000002000.js';
import { Notification } from './Notification.js';
import { NotificationHandler } from './NotificationHandler.js';

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
 * Migrates (the library's inbox table, then the consumer's own tables) and starts consuming.
 * Initializes typeorm-transactional, so run one per process.
 */
export async function startNotificationConsumer(options: NotificationConsumerOptions): Promise<RunningNotificationConsumer> {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  const dataSource = addTransactionalDataSource(
    new DataSource({
      type: 'postgres',
      url: options.databaseUrl,
      entities: [Notification],
      migrations: [CreateInboxTable1700000000001, CreateNotificationTables1700000002000],
      migrationsRun: true,
      migrationsTableName: 'notification_consumer_migrations',
    }),
  );
  await dataSource.initialize();
  const handler = new NotificationHandler(dataSource, new TransactionalInboxStore({ dataSource }));
  const consumer = new SqsConsumer({
    queueUrl: options.queueUrl,
    endpoint: options.endpoint,
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    handler: handler.handle,
    concurrency: 10,
    // A failed message (e.g. MessageInProgressError while another delivery of it runs) is retried soon.
    retryDelaySeconds: 1,
    onError: (error, { stage, message }) =>
      process.stderr.write(JSON.stringify({ event: 'error', stage, messageId: message?.id, error: String(error) }) + '\n'),
  });
  consumer.start();
  return {
    async stop() {
      await consumer.stop();
      await dataSource.destroy();
    },
  };
}
