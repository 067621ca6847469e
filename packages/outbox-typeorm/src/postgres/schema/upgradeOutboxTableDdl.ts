import { type OutboxTableOptions, outboxTableDdl } from './outboxTableDdl.js';
import { outboxNames } from './outboxNames.js';

/**
 * How long the upgrade waits for the lock on the old table before it gives up (and can be run again):
 * while it waits, every writer of the table queues behind it, so it must not wait for a long reader.
 */
export const UPGRADE_LOCK_TIMEOUT = '2s';

/**
 * The statements that upgrade an outbox table of the 0.1 previews (one table, `available_at NOT NULL`)
 * to the slotted layout, online. Run them in ONE transaction; it holds the old table's lock only for
 * catalog changes (milliseconds):
 *
 * 1. the old table is renamed `<table>_legacy` (its clashing index names too);
 * 2. the new table is created under the old name, with `seq` continuing after the old one, so
 *    publishers keep inserting (the old insert statement fits the new table) and new relays claim at once;
 * 3. the relay then moves the old rows across in batches of its own (`PostgresOutboxStore.moveLegacyRows`,
 *    run by its maintenance), pending and dead letters first, and drops `<table>_legacy` when it is empty.
 *
 * Relays of 0.1 must be stopped before the upgrade: their claim does not know the waiting lane.
 * @throws InvalidIdentifierError, InvalidOptionError as {@link outboxTableDdl}.
 */
export function upgradeOutboxTableDdl(options: OutboxTableOptions = {}): string[] {
  const n = outboxNames(options);
  const prefix = options.schema === undefined ? '' : `"${options.schema}".`;
  const legacyName = `${n.tableName}_legacy`;
  const rename = (suffix: string) => `ALTER INDEX IF EXISTS ${prefix}"${n.tableName}_${suffix}" RENAME TO "${legacyName}_${suffix}"`;
  return [
    `SET LOCAL lock_timeout = '${UPGRADE_LOCK_TIMEOUT}'`,
    `ALTER TABLE ${n.table} RENAME TO "${legacyName}"`,
    rename('pkey'),
    rename('dead_idx'),
    ...outboxTableDdl(options).filter((s) => !s.startsWith('CREATE SCHEMA')),
    `SELECT setval('${n.seqSequence.replaceAll("'", "''")}', greatest(1, (SELECT last_value FROM ${prefix}"${n.tableName}_seq_seq")), true)`,
  ];
}
