import type { SqlExecutor } from '../SqlExecutor.js';
import { type OutboxLayout, slotExpression } from '../schema/outboxLayout.js';
import type { OutboxNames } from '../schema/outboxNames.js';

/** The columns a moved row keeps (all but `xid`, which only matters while a row is being written). */
export const MOVED_COLUMNS = 'seq, id, subject, payload, headers, group_key, dedup_id, created_at, available_at, attempts, locked_by, locked_until, last_error, sent_at, dead_at';

/**
 * Moves up to `batchSize` unfinished rows (waiting, dead, or pending above the floor) that no relay
 * holds a live lease on out of `slot` into the current slot, so the slot can be emptied. A pending row
 * arrives waiting (due at once, or when it was due), so the claim finds it whatever its `seq`. Returns
 * how many moved; call again until it returns fewer than `batchSize`.
 *
 * $1 the claim floor, $2 batch size.
 *
 * The old versions it leaves are in a slot about to be truncated: they cost nothing after.
 * `SKIP LOCKED` leaves rows a claim or mark holds this instant to the next batch.
 */
export async function moveSlotRows(db: SqlExecutor, names: OutboxNames, layout: OutboxLayout, slot: number, floor: bigint, batchSize: number): Promise<number> {
  const p = names.slot(slot);
  const free = '(locked_until IS NULL OR locked_until < now())';
  const { rowCount } = await db.query(
    `WITH picked AS (
       SELECT id FROM (
         (SELECT id FROM ${p} WHERE available_at IS NOT NULL AND ${free} LIMIT $2)
         UNION ALL
         (SELECT id FROM ${p} WHERE dead_at IS NOT NULL LIMIT $2)
         UNION ALL
         (SELECT id FROM ${p} WHERE seq > $1::bigint AND available_at IS NULL AND sent_at IS NULL AND dead_at IS NULL AND ${free} LIMIT $2)
       ) AS u LIMIT $2
     ), moved AS (
       DELETE FROM ${p} WHERE id IN (SELECT id FROM ${p} WHERE id IN (SELECT id FROM picked) FOR UPDATE SKIP LOCKED)
       RETURNING *
     )
     INSERT INTO ${names.table} (slot, ${MOVED_COLUMNS}) OVERRIDING SYSTEM VALUE
     SELECT ${slotExpression(layout)}, seq, id, subject, payload, headers, group_key, dedup_id, created_at,
            CASE WHEN sent_at IS NULL AND dead_at IS NULL THEN coalesce(available_at, now()) END,
            attempts, locked_by, locked_until, last_error, sent_at, dead_at
       FROM moved`,
    [floor.toString(), batchSize],
  );
  return rowCount;
}
