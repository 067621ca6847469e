// README (outbox-typeorm), "Create the table": the outbox migration in a DataSource.
declare class Payment {}

// #region migrations
import { DataSource } from 'typeorm';
import { CreateOutboxTable1700000000000, OutboxMessageEntity } from '@tx-outbox/outbox-typeorm';

export const dataSource = new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL,
  entities: [Payment, OutboxMessageEntity], // the entity is optional: only to query the outbox
  migrations: [CreateOutboxTable1700000000000 /* , ...your migrations */],
});
// #endregion migrations
