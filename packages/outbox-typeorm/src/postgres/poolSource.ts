import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { discardIdleConnections, type IdleConnectionsPool } from './discardIdleConnections.js';
import { isStaleConnectionError } from './isStaleConnectionError.js';
import { executorFromPg, pgPoolOfDataSource, type DataSourceLike, type PgQueryable, type SqlExecutor } from './SqlExecutor.js';

/** Where a store gets its connections: a pg Pool, or the pool behind a TypeORM DataSource. */
export interface PoolSourceOptions<Pool extends PgQueryable> {
  pool?: Pool;
  dataSource?: DataSourceLike;
}

/**
 * Checks that exactly one of `pool`/`dataSource` is given and returns the pool and an executor on it.
 * A DataSource's pool exists only after `initialize()` (a DI container may hand the store over
 * earlier), so it is looked up at first use and then kept. A statement that fails because the server
 * went away, restarts or is read-only (isStaleConnectionError.ts) also closes the pool's idle
 * connections before the error is thrown: they reach the same server, and after a failover the next
 * try must connect anew, to wherever the host name points now.
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
  const query = async <Row = Record<string, unknown>>(text: string, values?: readonly unknown[], opts?: { name?: string }) => {
    try {
      return await (executor ??= executorFromPg(get())).query<Row>(text, values, opts);
    } catch (error) {
      if (isStaleConnectionError(error)) await discardIdleConnections(get() as unknown as IdleConnectionsPool);
      throw error;
    }
  };
  return { pool: get, db: { query } };
}
