// Entry point `@tx-outbox/outbox-typeorm`: the TypeORM side (the publisher, the transactional inbox,
// migrations, transaction seams). The PostgreSQL side is `./postgres`; sibling plumbing `./internal`.
export { TransactionalOutbox } from './publisher/TransactionalOutbox.js';
export { TypedOutbox } from './publisher/TypedOutbox.js';
export type { TypedMessageInput, ContractMessageInput } from './publisher/TypedOutbox.js';
export type { TransactionalOutboxOptions, SendEventOptions } from './publisher/TransactionalOutboxOptions.js';
export type { TransactionSeam, SeamLookup } from './transaction/TransactionSeam.js';
export { typeormTransactionalSeam } from './transaction/typeormTransactionalSeam.js';
export { clsTransactionSeam } from './transaction/clsTransactionSeam.js';
export type { TransactionHostLike } from './transaction/clsTransactionSeam.js';
export type { ExplicitTransaction } from './transaction/explicitTransaction.js';
export { InactiveTransactionError } from './transaction/InactiveTransactionError.js';
export { UnsupportedTypeormTransactionalError } from './transaction/UnsupportedTypeormTransactionalError.js';
export { createOutboxMigration, createOutboxUpgradeMigration } from './typeorm/createOutboxMigration.js';
export type { OutboxMigrationOptions } from './typeorm/createOutboxMigration.js';
export { CreateOutboxTable1700000000000 } from './typeorm/CreateOutboxTable1700000000000.js';
export { UpgradeOutboxTable1765000000000 } from './typeorm/UpgradeOutboxTable1765000000000.js';
export { OutboxMessageEntity } from './typeorm/OutboxMessageEntity.js';
export { createOutboxEntitySchema } from './typeorm/createOutboxEntitySchema.js';
export type { OutboxEntitySchemaOptions } from './typeorm/createOutboxEntitySchema.js';
export type { OutboxMessageRow } from './typeorm/OutboxMessageRow.js';
export { TransactionalInboxStore } from './typeorm/TransactionalInboxStore.js';
export type { TransactionalInboxStoreOptions } from './typeorm/TransactionalInboxStore.js';
export { createInboxMigration } from './typeorm/createInboxMigration.js';
export type { InboxMigrationOptions } from './typeorm/createInboxMigration.js';
export { CreateInboxTable1700000000001 } from './typeorm/CreateInboxTable1700000000001.js';
export { createInboxPartitionMigration } from './typeorm/createInboxPartitionMigration.js';
export type { InboxPartitionMigrationOptions } from './typeorm/createInboxPartitionMigration.js';
export { PartitionInboxTable1700000000002 } from './typeorm/PartitionInboxTable1700000000002.js';
