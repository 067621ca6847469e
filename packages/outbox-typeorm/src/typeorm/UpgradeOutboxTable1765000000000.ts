import { createOutboxUpgradeMigration } from './createOutboxMigration.js';

/**
 * The upgrade of a 0.1 outbox table (default names) to the slotted layout; a no-op on a table that has
 * it. Add it to your DataSource's `migrations` after {@link CreateOutboxTable1700000000000}.
 */
export class UpgradeOutboxTable1765000000000 extends createOutboxUpgradeMigration() {}
