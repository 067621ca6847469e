import type { SqlExecutor } from '../SqlExecutor.js';
import type { OutboxNames } from '../schema/outboxNames.js';

/**
 * Drops `<table>_legacy` once {@link moveLegacyRows} has emptied it (the statement checks it is empty
 * under its lock, and waits for that lock at most `lock_timeout`, set by the caller's session).
 *
 * No parameters. Returns whether it dropped it.
 */
export async function dropLegacyTable(db: SqlExecutor, names: OutboxNames): Promise<boolean> {
  const { rows } = await db.query<{ dropped: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM ${names.legacyTable}) AS dropped`,
  );
  if (!rows[0]?.dropped) return false;
  await db.query(`DROP TABLE IF EXISTS ${names.legacyTable}`);
  return true;
}
