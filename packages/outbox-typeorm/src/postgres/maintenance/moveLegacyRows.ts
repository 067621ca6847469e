import type { SqlExecutor } from '../SqlExecutor.js';
import type { OutboxNames } from '../schema/outboxNames.js';
import { MOVED_COLUMNS } from './moveSlotRows.js';

/**
 * After the upgrade from the 0.1 table (upgradeOutboxTableDdl.ts): moves up to `batchSize` rows of
 * `<table>_legacy` into the table, pending and dead ones first (so they are published and listed
 * without waiting for the history), then sent ones. Returns how many moved; 0 when it is empty.
 *
 * $1 batch size.
 *
 * A pending row arrives waiting: due when it was due, or when its lease (from a relay of 0.1 still
 * running, say) ends. Each keeps its `seq`, so group order holds across the move.
 */
export async function moveLegacyRows(db: SqlExecutor, names: OutboxNames, batchSize: number): Promise<number> {
  const legacy = names.legacyTable;
  const { rowCount } = await db.query(
    `WITH picked AS (
       SELECT id FROM (
         (SELECT id FROM ${legacy} WHERE sent_at IS NULL LIMIT $1)
         UNION ALL
         (SELECT id FROM ${legacy} WHERE sent_at IS NOT NULL LIMIT $1)
       ) AS u LIMIT $1
     ), moved AS (
       DELETE FROM ${legacy} WHERE id IN (SELECT id FROM ${legacy} WHERE id IN (SELECT id FROM picked) FOR UPDATE SKIP LOCKED)
       RETURNING *
     )
     INSERT INTO ${names.table} (${MOVED_COLUMNS}) OVERRIDING SYSTEM VALUE
     SELECT seq, id, subject, payload, headers, group_key, dedup_id, created_at,
            CASE WHEN sent_at IS NOT NULL OR dead_at IS NOT NULL THEN NULL
                 WHEN locked_until > available_at THEN locked_until ELSE available_at END,
            attempts, locked_by, locked_until, last_error, sent_at, dead_at
       FROM moved`,
    [batchSize],
  );
  return rowCount;
}
