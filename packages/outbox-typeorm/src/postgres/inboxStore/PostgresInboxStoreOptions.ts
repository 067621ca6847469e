import type { TableLocation } from '../identifiers.js';
import type { DataSourceLike, PgQueryable } from '../SqlExecutor.js';

/**
 * Options of `PostgresInboxStore`. Give exactly one of `pool` or `dataSource`; the store runs its
 * own short statements on that pool, outside any business transaction.
 */
export interface PostgresInboxStoreOptions extends TableLocation {
  /** A pg `Pool` (or `Client`). */
  pool?: PgQueryable;
  /** An initialized TypeORM `DataSource` on the postgres driver; its pg pool is used. */
  dataSource?: DataSourceLike;
}
