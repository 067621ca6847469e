import { DataSource } from 'typeorm';
import { StorageDriver, addTransactionalDataSource, initializeTransactionalContext } from 'typeorm-transactional';

/**
 * A TypeORM DataSource registered with typeorm-transactional, as a service using the library has.
 * Its pg pool must survive a PostgreSQL restart: broken clients are dropped and new ones connect.
 */
export async function openDataSource(url: string, poolSize: number): Promise<DataSource> {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    poolSize,
    extra: { connectionTimeoutMillis: 5_000 },
  });
  await dataSource.initialize();
  addTransactionalDataSource(dataSource);
  return dataSource;
}
