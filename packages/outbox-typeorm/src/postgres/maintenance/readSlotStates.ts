import type { SqlExecutor } from '../SqlExecutor.js';
import type { OutboxLayout } from '../schema/outboxLayout.js';
import { slotExpression } from '../schema/outboxLayout.js';
import type { OutboxNames } from '../schema/outboxNames.js';

/** What retention needs to know of one slot. */
export interface SlotState {
  slot: number;
  /** New rows go here now (by the database's clock). */
  current: boolean;
  /** Its newest row (highest `seq`) was created more than the retention ago (false when it is empty). */
  old: boolean;
  /** It holds rows not sent: waiting, dead, or pending above the floor. */
  unfinished: boolean;
}

/**
 * Each slot's state, one index descent or two per slot (the newest row by `seq`; the first waiting,
 * dead or pending row), so it costs the same with a billion rows.
 *
 * $1 the claim floor, $2 the retention in ms.
 */
export async function readSlotStates(db: SqlExecutor, names: OutboxNames, layout: OutboxLayout, floor: bigint): Promise<SlotState[]> {
  const branches = Array.from({ length: layout.slots }, (_, n) => {
    const p = names.slot(n);
    return `SELECT ${n} AS slot, ${slotExpression(layout)} = ${n} AS current,
            coalesce((SELECT created_at FROM ${p} ORDER BY seq DESC LIMIT 1) < now() - $2::float8 * interval '1 millisecond', false) AS old,
            (EXISTS (SELECT 1 FROM ${p} WHERE available_at IS NOT NULL)
             OR EXISTS (SELECT 1 FROM ${p} WHERE dead_at IS NOT NULL)
             OR EXISTS (SELECT 1 FROM ${p} WHERE seq > $1::bigint AND sent_at IS NULL AND dead_at IS NULL)) AS unfinished`;
  });
  const { rows } = await db.query<{ slot: number; current: boolean; old: boolean; unfinished: boolean }>(
    `${branches.join('\n     UNION ALL\n     ')} ORDER BY slot`,
    [floor.toString(), layout.retentionMs],
  );
  return rows.map((r) => ({ slot: Number(r.slot), current: r.current, old: r.old, unfinished: r.unfinished }));
}
