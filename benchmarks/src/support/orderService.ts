import { randomUUID } from 'node:crypto';
import { DataSource, EntitySchema, type Repository } from 'typeorm';
import { StorageDriver, Transactional, addTransactionalDataSource, getDataSourceByName, initializeTransactionalContext } from 'typeorm-transactional';
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import { insertFloorRow } from '../sql/insertFloorRow.js';

/** The business row of the publisher scenarios. */
export interface Order {
  id: string;
  amount: number;
}

const OrderEntity = new EntitySchema<Order>({
  name: 'BenchOrder',
  tableName: 'bench_order',
  columns: { id: { type: 'uuid', primary: true }, amount: { type: 'integer' } },
});

/** A service as a user writes it: `@Transactional()` methods, with and without `outbox.sendEvent`. */
export interface OrderService {
  /** A: the business insert alone. */
  placeOrder(amount: number): Promise<void>;
  /** B: the same insert plus one event of about 500 B, in the same transaction (default options: an unnamed insert). */
  placeOrderWithEvent(amount: number, body: unknown): Promise<string>;
  /** C: B with `preparedStatements: true`: the insert as a named prepared statement. */
  placeOrderWithNamedEvent(amount: number, body: unknown): Promise<string>;
  /** The floor: the same insert plus one hand-written single-row insert into `outbox`, through the same manager. */
  placeOrderWithFloorRow(amount: number, body: unknown): Promise<string>;
  /** B with `notify: false`: no NOTIFY in the transaction. */
  placeOrderWithSilentEvent(amount: number, body: unknown): Promise<string>;
  dataSource: DataSource;
  close(): Promise<void>;
}

let contextReady = false;

/**
 * Opens a TypeORM DataSource on `url` (a pool of `poolSize` connections), registers it with
 * typeorm-transactional under `connectionName` (AsyncLocalStorage driver) and creates the
 * `bench_order` table. The outbox table (named `outbox`) must exist.
 */
export async function openOrderService(url: string, connectionName: string, poolSize = 20): Promise<OrderService> {
  if (!contextReady) {
    initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
    contextReady = true;
  }
  const dataSource = new DataSource({ type: 'postgres', url, entities: [OrderEntity], extra: { max: poolSize } });
  await dataSource.initialize();
  // TypeORM's pool may still hold a connection when the scenario drops its database WITH (FORCE).
  (dataSource.driver as unknown as { master: { on(e: 'error', f: () => void): void } }).master.on('error', () => {});
  await dataSource.query('CREATE TABLE IF NOT EXISTS bench_order (id uuid PRIMARY KEY, amount integer NOT NULL)');
  if (!getDataSourceByName(connectionName)) addTransactionalDataSource({ name: connectionName, dataSource });
  const orders: Repository<Order> = dataSource.getRepository(OrderEntity);
  const outbox = new TransactionalOutbox({ connectionName });
  const namedOutbox = new TransactionalOutbox({ connectionName, preparedStatements: true });
  const silentOutbox = new TransactionalOutbox({ connectionName, notify: false });

  class Service {
    @Transactional({ connectionName })
    async placeOrder(amount: number): Promise<void> {
      await orders.insert({ id: randomUUID(), amount });
    }

    @Transactional({ connectionName })
    async placeOrderWithEvent(amount: number, body: unknown): Promise<string> {
      await orders.insert({ id: randomUUID(), amount });
      return outbox.sendEvent({ subject: 'bench.order.created', body });
    }

    @Transactional({ connectionName })
    async placeOrderWithNamedEvent(amount: number, body: unknown): Promise<string> {
      await orders.insert({ id: randomUUID(), amount });
      return namedOutbox.sendEvent({ subject: 'bench.order.created', body });
    }

    @Transactional({ connectionName })
    async placeOrderWithFloorRow(amount: number, body: unknown): Promise<string> {
      await orders.insert({ id: randomUUID(), amount });
      const id = randomUUID();
      // The repository's manager is the transaction's inside @Transactional(), as for a user's own query.
      await insertFloorRow(orders.manager, id, 'bench.order.created', JSON.stringify(body));
      return id;
    }

    @Transactional({ connectionName })
    async placeOrderWithSilentEvent(amount: number, body: unknown): Promise<string> {
      await orders.insert({ id: randomUUID(), amount });
      return silentOutbox.sendEvent({ subject: 'bench.order.created', body });
    }
  }
  const service = new Service();
  return {
    placeOrder: (amount) => service.placeOrder(amount),
    placeOrderWithEvent: (amount, body) => service.placeOrderWithEvent(amount, body),
    placeOrderWithNamedEvent: (amount, body) => service.placeOrderWithNamedEvent(amount, body),
    placeOrderWithFloorRow: (amount, body) => service.placeOrderWithFloorRow(amount, body),
    placeOrderWithSilentEvent: (amount, body) => service.placeOrderWithSilentEvent(amount, body),
    dataSource,
    close: () => dataSource.destroy(),
  };
}
