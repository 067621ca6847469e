// Entry point that never imports typeorm: the relay sidecar uses this with a plain pg Pool.
export { executorFromPg, executorFromQueryRunner, pgPoolOfDataSource } from './SqlExecutor.js';
export type { SqlExecutor, PgQueryable, QueryRunnerLike, DataSourceLike } from './SqlExecutor.js';
export { quoteIdentifier, qualifiedTableName, notifyChannel } from './identifiers.js';
export type { TableLocation } from './identifiers.js';
