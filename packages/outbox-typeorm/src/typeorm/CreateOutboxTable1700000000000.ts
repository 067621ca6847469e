import { createOutboxMigration } from './createOutboxMigration.js';

/**
 * The outbox migration for the default names (table `outbox` on the search_path). Add it to your
 * DataSource's `migrations`; for other names use {@link createOutboxMigration}.
 */
export class CreateOutboxTable1700000000000 extends createOutboxMigration() {}
