// README: using the publisher without Nest, with a plain TypeORM DataSource.
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import { DataSource } from 'typeorm';
import { addTransactionalDataSource, initializeTransactionalContext, runInTransaction, StorageDriver } from 'typeorm-transactional';

export async function placeOrder(databaseUrl: string, order: { id: string; customerId: string; total: number }) {
  // #region plain
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  const dataSource = addTransactionalDataSource(new DataSource({ type: 'postgres', url: databaseUrl }));
  await dataSource.initialize();
  const outbox = new TransactionalOutbox({ dataSource });

  await runInTransaction(async () => {
    await dataSource.query('INSERT INTO orders (id, total) VALUES ($1, $2)', [order.id, order.total]);
    await outbox.sendEvent({ subject: 'order.placed', body: order, groupKey: order.customerId });
  });
  // #endregion plain
  await dataSource.destroy();
}
