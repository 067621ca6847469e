// README: "Where the transaction comes from" — the explicit form, a QueryRunner, and @nestjs-cls/transactional.
import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { TransactionalInboxStore, TransactionalOutbox, clsTransactionSeam } from '@tx-outbox/outbox-typeorm';
import type { DataSource } from 'typeorm';

type Order = { id: string; customerId: string; total: number };

export async function explicitManager(dataSource: DataSource, order: Order) {
  // #region explicit
  const outbox = new TransactionalOutbox();
  await dataSource.transaction(async (manager) => {
    await manager.query('INSERT INTO orders (id, total) VALUES ($1, $2)', [order.id, order.total]);
    await outbox.sendEvent({ subject: 'order.placed', body: order }, { manager });
  });
  // #endregion explicit
}

export async function explicitQueryRunner(dataSource: DataSource, outbox: TransactionalOutbox, order: Order) {
  // #region queryRunner
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.startTransaction();
  try {
    await queryRunner.query('INSERT INTO orders (id, total) VALUES ($1, $2)', [order.id, order.total]);
    await outbox.sendEvent({ subject: 'order.placed', body: order }, { queryRunner });
    await queryRunner.commitTransaction();
  } catch (error) {
    await queryRunner.rollbackTransaction();
    throw error;
  } finally {
    await queryRunner.release();
  }
  // #endregion queryRunner
}

export async function withCls(txHost: TransactionHost<TransactionalAdapterTypeOrm>, order: Order, messageId: string) {
  // #region cls
  const outbox = new TransactionalOutbox({ transactions: clsTransactionSeam(txHost) });
  await txHost.withTransaction(async () => {
    await txHost.tx.query('INSERT INTO orders (id, total) VALUES ($1, $2)', [order.id, order.total]);
    await outbox.sendEvent({ subject: 'order.placed', body: order }); // joins the cls transaction
  });

  const inbox = new TransactionalInboxStore({ transactions: clsTransactionSeam(txHost) });
  await inbox.handleOnce({ consumer: 'billing', messageId }, async (manager) => {
    await manager.query('INSERT INTO invoices (order_id) VALUES ($1)', [order.id]); // or txHost.tx
  });
  // #endregion cls
}

export async function withoutLibrary(dataSource: DataSource, messageId: string) {
  // #region inboxExplicit
  const inbox = new TransactionalInboxStore({ dataSource, transactions: [] }); // no transaction library
  await inbox.handleOnce({ consumer: 'billing', messageId }, async (manager) => {
    await manager.query('INSERT INTO invoices (order_id) VALUES ($1)', [messageId]); // commits with the record
  });
  // #endregion inboxExplicit
}
