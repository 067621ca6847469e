import { createInboxPartitionMigration } from './createInboxPartitionMigration.js';

/**
 * The inbox upgrade to the partitioned layout for the default names (table `inbox` on the
 * search_path). Add it after `CreateInboxTable1700000000001`; for other names use
 * {@link createInboxPartitionMigration}.
 */
export class PartitionInboxTable1700000000002 extends createInboxPartitionMigration() {}
