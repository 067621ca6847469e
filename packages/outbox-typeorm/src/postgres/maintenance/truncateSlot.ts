import type { PgQueryable } from '../SqlExecutor.js';
import { type OutboxLayout, slotExpression } from '../schema/outboxLayout.js';
import type { OutboxNames } from '../schema/outboxNames.js';

/**
 * How long emptying a slot waits for its lock: while it waits, the claims queue behind it, so it gives
 * up quickly (a long reader holds the slot, as pg_dump does) and retention tries again on its next run.
 */
export const TRUNCATE_LOCK_TIMEOUT = '100ms';

/** Why a slot was not emptied, or `emptied`. */
export type TruncateOutcome = 'emptied' | 'current' | 'unfinished' | 'too-young';

/**
 * Empties `slot` with TRUNCATE — no DELETE, no dead tuples, the space goes back at once — if, under
 * its ACCESS EXCLUSIVE lock, it is not the slot new rows go to, holds nothing unfinished, and its newest
 * row was created more than the retention ago. Runs as one transaction on `client` (BEGIN … COMMIT).
 *
 * $1 the claim floor, $2 the retention in ms.
 *
 * Under the lock no row can arrive or change, so the checks are exact: a producer that would write
 * into this slot waits for the lock and then writes into the emptied slot.
 * @throws the lock timeout (SQLSTATE 55P03) when a reader holds the slot; nothing changed.
 */
export async function truncateSlot(client: PgQueryable, names: OutboxNames, layout: OutboxLayout, slot: number, floor: bigint): Promise<TruncateOutcome> {
  const p = names.slot(slot);
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = '${TRUNCATE_LOCK_TIMEOUT}'`);
    await client.query(`LOCK TABLE ${p} IN ACCESS EXCLUSIVE MODE`);
    const { rows } = await client.query(
      `SELECT ${slotExpression(layout)} = ${slot} AS current,
              (EXISTS (SELECT 1 FROM ${p} WHERE available_at IS NOT NULL)
               OR EXISTS (SELECT 1 FROM ${p} WHERE dead_at IS NOT NULL)
               OR EXISTS (SELECT 1 FROM ${p} WHERE seq > $1::bigint AND sent_at IS NULL AND dead_at IS NULL)) AS unfinished,
              coalesce((SELECT created_at FROM ${p} ORDER BY seq DESC LIMIT 1) >= now() - $2::float8 * interval '1 millisecond', false) AS young`,
      [floor.toString(), layout.retentionMs],
    );
    const state = rows[0] as { current: boolean; unfinished: boolean; young: boolean };
    const outcome: TruncateOutcome = state.current ? 'current' : state.unfinished ? 'unfinished' : state.young ? 'too-young' : 'emptied';
    if (outcome === 'emptied') await client.query(`TRUNCATE ${p}`);
    await client.query('COMMIT');
    return outcome;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
