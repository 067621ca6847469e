// README (relay-sns), "SqsConsumer": a consumer with transactional inbox.
import type { DataSource } from 'typeorm';

declare const queueUrl: string;
declare const dataSource: DataSource;
declare const billing: { apply(subject: string, body: unknown): Promise<void> };

// #region consumer
import { SqsConsumer } from '@tx-outbox/relay-sns';
import { TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';

const consumer = new SqsConsumer({
  queueUrl,
  region: 'eu-west-1',
  handler: async ({ id, subject, body, headers, receiveCount }) => {
    await billing.apply(subject, body);
  },
  inbox: { store: new TransactionalInboxStore({ dataSource }), consumer: 'billing' },
});
consumer.start();
process.once('SIGTERM', () => void consumer.stop());
// #endregion consumer
