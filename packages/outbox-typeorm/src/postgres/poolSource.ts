import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { executorFromPg, pgPoolOfDataSource, type DataSourceLike, type PgQueryable, type SqlExecutor } from './SqlExecutor.js';

/** Where a store gets its connections: a pg Pool, or the pool behind a TypeORM DataSource. */
export interface PoolSourceOptions<Pool extends PgQueryable> {
  pool?: Pool;
  dataSource?: DataSourceLike;
}

/**
 * Checks that exactly one of `pool`/`dataSource` is given and returns the pool and an executor on it.
 * A DataSource's pool exists only after `initialize()` (a DI container may hand the store over
 * earlier), so it is looked up at first use and then kept.
 *
 * @throws InvalidOptionError naming `pool` or `dataSource`.
 */
export function poolSource<Pool extends PgQueryable>(
  options: PoolSourceOptions<Pool>,
  expected: { pool: string; needsConnect: boolean },
): { pool: () => Pool; db: SqlExecutor } {
  const { pool, dataSource } = options;
  if ((pool === undefined) === (dataSource === undefined)) {
    throw new InvalidOptionError('pool', 'exactly one of `pool` (a pg Pool) and `dataSource` (a TypeORM DataSource)', pool ?? dataSource ?? null);
  }
  const p = pool as { query?: unknown; connect?: unknown } | undefined;
  if (p !== undefined && (typeof p.query !== 'function' || (expected.needsConnect && typeof p.connect !== 'function'))) {
    throw new InvalidOptionError('pool', expected.pool, pool);
  }
  if (dataSource !== undefined && dataSource.options?.type !== 'postgres') {
    throw new InvalidOptionError('dataSource', 'a TypeORM DataSource of type "postgres"', dataSource.options?.type);
  }
  let found: Pool | undefined = pool;
  const get = () => (found ??= pgPoolOfDataSource(dataSource!) as unknown as Pool);
  let executor: SqlExecutor | undefined;
  return { pool: get, db: { query: (text, values, opts) => (executor ??= executorFromPg(get())).query(text, values, opts) } };
}
