// README (outbox-typeorm), "Inbox store": TransactionalInboxStore and PostgresInboxStore.
import type pg from 'pg';
import type { DataSource, Repository } from 'typeorm';

declare const dataSource: DataSource;
declare const messageId: string;
declare const rawBody: string;
declare class Payment {}
declare const payment: Payment;
declare const paymentRepository: Repository<Payment>;
declare const pool: pg.Pool;
declare const to: string;
declare function sendMail(to: string): Promise<void>;

// #region inbox-stores
import { TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';
import { PostgresInboxStore } from '@tx-outbox/outbox-typeorm/postgres';

// Exactly-once effect for database work: the handler runs in a typeorm-transactional transaction
// (joining the caller's if one is open) and the `done` record is written in that same transaction.
const inbox = new TransactionalInboxStore({ dataSource }); // registered with addTransactionalDataSource
const outcome = await inbox.handleOnce({ consumer: 'billing', messageId, payload: rawBody }, async () => {
  await paymentRepository.save(payment); // rolls back together with the inbox record
});

// Without TypeORM: a pg Pool (or an initialized DataSource). Handler writes commit on their own.
const plain = new PostgresInboxStore({ pool, schema: 'consumers', tableName: 'inbox' });
await plain.handleOnce({ consumer: 'mailer', messageId }, () => sendMail(to));

// Retention, e.g. from a cron job (InboxRetention and the outbox-relay sidecar do both): the day
// partitions first (created ahead, truncated and dropped once expired), then batches of 1000 from the
// default partition (ids that are not uuid v7) until nothing is left.
await plain.rotate();
while ((await plain.purgeExpired(1000)) > 0);
// #endregion inbox-stores
