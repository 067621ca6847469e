/**
 * Entry point `@tx-outbox/outbox-typeorm/internal`: what `@tx-outbox/relay-sns` (the sidecar, the
 * console), the benchmarks and the tools share with this package. It carries **no semver promise**:
 * any release may change or remove any of it. Applications import `@tx-outbox/outbox-typeorm` and
 * `@tx-outbox/outbox-typeorm/postgres`.
 *
 * Like `./postgres`, it never imports typeorm: the sidecar loads it with a plain pg Pool.
 *
 * @packageDocumentation
 */
// Connections and names.
export { executorFromPg } from './postgres/SqlExecutor.js';
export type { SqlExecutor } from './postgres/SqlExecutor.js';
export { qualifiedTableName, notifyChannel } from './postgres/identifiers.js';
// The schema: DDL, the table's layout and its objects' names.
export { outboxTableDdl, dropOutboxTableDdl } from './postgres/schema/outboxTableDdl.js';
export type { OutboxTableOptions } from './postgres/schema/outboxTableDdl.js';
export { upgradeOutboxTableDdl } from './postgres/schema/upgradeOutboxTableDdl.js';
export type { OutboxLayout, OutboxLayoutOptions } from './postgres/schema/outboxLayout.js';
export { outboxNames } from './postgres/schema/outboxNames.js';
export { readOutboxLayout } from './postgres/maintenance/readOutboxLayout.js';
export { OutboxTableError } from './postgres/outboxStore/OutboxTableError.js';
export type { FoundOutboxTable } from './postgres/maintenance/readOutboxLayout.js';
export { inboxTableDdl } from './postgres/schema/inboxTableDdl.js';
export type { RotateInboxOptions } from './postgres/inboxStore/partitions/rotateInboxPartitions.js';
// Maintenance, run by the relay's runtime (sidecar, Nest).
export { OutboxMaintenance } from './postgres/maintenance/OutboxMaintenance.js';
export type { OutboxMaintenanceOptions, MaintenanceResult, MaintenancePoolLike } from './postgres/maintenance/OutboxMaintenance.js';
// Selections as the CLI and the console parse them.
export { parseSelectionSubject } from './postgres/outboxStore/selectionSubject.js';
export type { SelectionSubject } from './postgres/outboxStore/selectionSubject.js';
export { isFingerprintId } from './postgres/outboxStore/failureFingerprint.js';
// The console's read model.
export { OutboxInspector } from './inspect/OutboxInspector.js';
export type { OutboxInspectorOptions, OutboxOverview, OutboxSeries, MessageSearch } from './inspect/OutboxInspector.js';
export type { MessageStatus } from './inspect/messageStatus.js';
export { MESSAGE_STATUSES } from './inspect/messageStatus.js';
export type { SubjectBacklog, BacklogBySubject } from './inspect/readBacklogBySubject.js';
export type { SubjectSent } from './inspect/readSentBySubject.js';
export type { PublishMinute } from './inspect/readPublishSeries.js';
export type { DeadSeries } from './inspect/readDeadSeries.js';
export type { MessageDetail } from './inspect/readMessage.js';
export type { MessageSummary, LaneCursor, SearchLane, SearchPage } from './inspect/searchMessages.js';
