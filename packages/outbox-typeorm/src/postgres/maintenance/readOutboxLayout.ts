import type { SqlExecutor } from '../SqlExecutor.js';
import { type OutboxLayout, parseLayoutComment } from '../schema/outboxLayout.js';
import type { OutboxNames } from '../schema/outboxNames.js';

/** What the database holds under an outbox table's name. */
export type FoundOutboxTable =
  /** No such table: run the migration. */
  | { kind: 'missing' }
  /** The single table of the 0.1 previews: run the upgrade. */
  | { kind: 'legacy' }
  /** The slotted table; `legacyRows` when the old table's rows are still being moved across. */
  | { kind: 'slotted'; layout: OutboxLayout; legacyRows: boolean };

/**
 * Reads which outbox table exists under `names` and its layout (from the table comment, and whether
 * the ordered indexes exist).
 *
 * $1 table name (quoted, qualified, as text), $2 the ordered group index's name, $3 the legacy table's name.
 */
export async function readOutboxLayout(db: SqlExecutor, names: OutboxNames): Promise<FoundOutboxTable> {
  const { rows } = await db.query<{ comment: string | null; slotted: boolean; ordered: boolean; legacy: boolean }>(
    `SELECT obj_description(c.oid, 'pg_class') AS comment,
            EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = c.oid AND attname = 'slot' AND NOT attisdropped) AS slotted,
            to_regclass($2) IS NOT NULL AS ordered,
            to_regclass($3) IS NOT NULL AS legacy
       FROM pg_class AS c
      WHERE c.oid = to_regclass($1)`,
    [names.table, qualifiedIndex(names, names.index.group), names.legacyTable],
  );
  const row = rows[0];
  if (!row) return { kind: 'missing' };
  if (!row.slotted) return { kind: 'legacy' };
  const layout = parseLayoutComment(row.comment);
  // A slotted table whose comment was lost (a dump restored without comments): its rows stay, retention waits.
  const found = layout ?? { version: 2 as const, retentionMs: 0, slots: 4, slotSeconds: 0 };
  return { kind: 'slotted', layout: { ...found, ordered: row.ordered }, legacyRows: row.legacy };
}

function qualifiedIndex(names: OutboxNames, index: string): string {
  return names.schema === undefined ? index : `"${names.schema}".${index}`;
}
