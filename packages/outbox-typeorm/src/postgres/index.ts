// Entry point that never imports typeorm: the relay sidecar uses this with a plain pg Pool.
export type { PgQueryable, DataSourceLike } from './SqlExecutor.js';
export type { TableLocation } from './identifiers.js';
export { PostgresOutboxStore } from './outboxStore/PostgresOutboxStore.js';
export type { PostgresOutboxStoreOptions, PgPoolLike, ListenPoolLike } from './outboxStore/PostgresOutboxStore.js';
export type { MessageSelection } from './outboxStore/messageSelection.js';
export { SelectionSubjectError } from './outboxStore/selectionSubject.js';
export { OutboxAdmin } from '../admin/OutboxAdmin.js';
export type { OutboxAdminOptions, AdminOperationOptions, AdminOperationResult } from '../admin/OutboxAdmin.js';
export { ConfirmationRequiredError } from '../admin/ConfirmationRequiredError.js';
export type { DeadMessage } from '../admin/listDead.js';
export type { FailureGroup, FailureGroups, FailureLane } from '../admin/listFailureGroups.js';
export { DEFAULT_INBOX_TABLE } from './schema/inboxTableDdl.js';
export { PostgresInboxStore } from './inboxStore/PostgresInboxStore.js';
export type { PostgresInboxStoreOptions } from './inboxStore/PostgresInboxStoreOptions.js';
export { insertOutboxMessages, wakeRelays } from './insertOutboxMessages.js';
export type { InsertOutboxMessagesOptions, QueryExecutor } from './insertOutboxMessages.js';
