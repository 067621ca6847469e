// Entry point that never imports typeorm: the relay sidecar uses this with a plain pg Pool.
export { executorFromPg, executorFromQueryRunner, pgPoolOfDataSource } from './SqlExecutor.js';
export type { SqlExecutor, PgQueryable, QueryRunnerLike, DataSourceLike } from './SqlExecutor.js';
export { quoteIdentifier, qualifiedTableName, notifyChannel } from './identifiers.js';
export type { TableLocation } from './identifiers.js';
export { outboxTableDdl, dropOutboxTableDdl } from './schema/outboxTableDdl.js';
export { PostgresOutboxStore } from './outboxStore/PostgresOutboxStore.js';
export type { PostgresOutboxStoreOptions, PgPoolLike, DeleteSentOptions } from './outboxStore/PostgresOutboxStore.js';
export type { DeadSelection } from './outboxStore/deadFilter.js';
export type { DeadMessage } from './outboxStore/listDead.js';
export { NotifyListener } from './outboxStore/NotifyListener.js';
export type { ListenClient, NotifyListenerOptions } from './outboxStore/NotifyListener.js';
export { inboxTableDdl, dropInboxTableDdl, DEFAULT_INBOX_TABLE } from './schema/inboxTableDdl.js';
export { PostgresInboxStore } from './inboxStore/PostgresInboxStore.js';
export type { PostgresInboxStoreOptions } from './inboxStore/PostgresInboxStoreOptions.js';
export { PostgresDedupStore } from './inboxStore/PostgresInboxStore.js';
export type { PostgresDedupStoreOptions } from './inboxStore/PostgresInboxStoreOptions.js';
