// README: consuming with exactly-once effect for database work.
import { TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';
import { SqsConsumer } from '@tx-outbox/relay-sns';
import type { DataSource } from 'typeorm';

export function startConsumer(dataSource: DataSource, queueUrl: string) {
  // #region consumer
  const consumer = new SqsConsumer({
    queueUrl,
    concurrency: 10,
    // The inbox record commits in the same transaction as the handler's writes.
    inbox: { store: new TransactionalInboxStore({ dataSource }), consumer: 'notifications' },
    handler: async ({ id, subject, body }) => {
      await dataSource.query('INSERT INTO notifications (outbox_id, subject, body) VALUES ($1, $2, $3)', [id, subject, body]);
    },
  });
  consumer.start();
  process.once('SIGTERM', () => void consumer.stop());
  // #endregion consumer
  return consumer;
}
