import { createRequire } from 'node:module';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type * as Api from 'typeorm-transactional';
import { TransactionSetupError } from './TransactionSetupError.js';

type Registry = Pick<typeof Api, 'addTransactionalDataSource' | 'getDataSourceByName' | 'deleteDataSourceByName'>;
const require = createRequire(import.meta.url);

/**
 * Creates a DataSource and registers it with typeorm-transactional, so that `@Transactional()` finds it:
 * the `dataSourceFactory` of `TypeOrmModule.forRootAsync`. \@nestjs/typeorm calls that factory again at
 * every connection retry, and `addTransactionalDataSource` refuses a second DataSource under one name
 * (`DataSource with name "default" has already added`), which ends the retries and hides the real error
 * (a database still starting, a wrong password). Here a DataSource left registered by a failed attempt
 * (never initialized) is replaced, so the app comes up once the database answers, and every retry logs
 * the real error. A registered DataSource that is initialized is kept to that error: two DataSources
 * under one name would share one transaction registry.
 *
 * @param options - the DataSource's options (what \@nestjs/typeorm passes the factory).
 * @param registration - `connectionName`: the name to register under, as `@Transactional({ connectionName })`
 *   and OutboxModule's `connectionName` use it (default `'default'`).
 * @throws TransactionSetupError when typeorm-transactional is not installed.
 * @example
 * ```ts
 * TypeOrmModule.forRootAsync({ useFactory: () => ({ type: 'postgres', url }), dataSourceFactory: createTransactionalDataSource });
 * ```
 */
export async function createTransactionalDataSource(options?: DataSourceOptions, registration: { connectionName?: string } = {}): Promise<DataSource> {
  const name = registration.connectionName ?? 'default';
  const registry = transactionalRegistry();
  const dataSource = new DataSource(options!);
  const existing = registry.getDataSourceByName(name);
  if (existing && !existing.isInitialized) registry.deleteDataSourceByName(name);
  return registry.addTransactionalDataSource({ name, dataSource });
}

function transactionalRegistry(): Registry {
  try {
    return require('typeorm-transactional') as Registry;
  } catch (error) {
    throw new TransactionSetupError(
      'typeorm-transactional',
      'createTransactionalDataSource registers the DataSource with typeorm-transactional, which is not installed: ' +
        'run `npm install typeorm-transactional`, or with @nestjs-cls/transactional leave dataSourceFactory out ' +
        '(its TypeORM adapter finds the DataSource itself) and pass OutboxModule.forRoot({ clsTransactionHost: TransactionHost }).',
      { cause: error },
    );
  }
}
