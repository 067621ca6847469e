import { createInboxMigration } from './createInboxMigration.js';

/**
 * The inbox migration for the default names (table `inbox` on the search_path). Add it to
 * your DataSource's `migrations`; for other names use {@link createInboxMigration}.
 */
export class CreateInboxTable1700000000001 extends createInboxMigration() {}
