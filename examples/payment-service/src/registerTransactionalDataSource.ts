import type { DataSource } from 'typeorm';
import { addTransactionalDataSource, deleteDataSourceByName, getDataSourceByName } from 'typeorm-transactional';

/**
 * `addTransactionalDataSource` throws when a DataSource is already registered under the name. A
 * destroyed one, left by an earlier app in the same process (tests), is replaced; a live one is
 * left to that error, since two apps would then share one transaction registry.
 */
export function registerTransactionalDataSource(dataSource: DataSource, name = 'default'): DataSource {
  const existing = getDataSourceByName(name);
  if (existing === dataSource) return dataSource;
  if (existing && !existing.isInitialized) deleteDataSourceByName(name);
  return addTransactionalDataSource({ name, dataSource });
}
