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
import { TransactionalInboxStore, PostgresInboxStore } from '@tx-outbox/outbox-typeorm';

// Exactly-once effect for database work: the handler runs in a typeorm-transactional transaction
// (joining the caller's if one is open) and the `done` record is written in that same transaction.
const inbox = new TransactionalInboxStore({ dataSource }); // registered with addTransactionalDataSource
const outcome = await inbox.handleOnce({ consumer: 'billing', messageId, payload: rawBody }, async () => {
  await paymentRepository.save(payment); // rolls back together with the inbox record
});

// Without TypeORM: a pg Pool (or an initialized DataSource). Handler writes commit on their own.
const plain = new PostgresInboxStore({ pool, schema: 'consumers', tableName: 'inbox' });
await plain.handleOnce({ consumer: 'mailer', messageId }, () => sendMail(to));

// Retention, e.g. from a cron job: batches of 1000 until nothing is left.
while ((await plain.purgeExpired(1000)) > 0);
// #endregion inbox-stores
