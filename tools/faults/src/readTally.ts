import type pg from 'pg';
import { NEW_SUBJECT, ORDER_SUBJECT } from './names.js';

/** What the database says after the run: the ground truth every count is checked against. */
export interface Tally {
  committed: number;
  outbox: { total: number; sent: number; dead: number; pending: number };
  dead: Array<{ id: string; subject: string; attempts: number; lastError: string | null }>;
  handledRows: number;
  handledRefs: number;
  handledMoreThanOnce: number;
  /** Handled rows whose outbox id is not the event of that ref. */
  handledWrongId: number;
  lost: number;
  phantom: number;
  ordersWithoutEvent: number;
  eventsWithoutOrder: number;
  rolledBackInOrders: number;
  rolledBackHandled: number;
  failedThatCommitted: number;
  /** The rolling deploy's subject: committed orders whose event has it, of those handled exactly once, its dead messages. */
  newSubject: { committed: number; handledOnce: number; dead: number };
}

/** Committed orders whose event has subject $1. */
const COMMITTED_OF_SUBJECT = "SELECT count(*) AS n FROM orders o JOIN outbox m ON m.payload->>'ref' = o.ref WHERE m.subject = $1";
/** Refs whose event has subject $1, handled exactly once. */
const HANDLED_ONCE_OF_SUBJECT = `SELECT count(*) AS n FROM (
  SELECT h.ref FROM handled h JOIN outbox m ON m.id = h.outbox_id WHERE m.subject = $1 GROUP BY h.ref HAVING count(*) = 1) once`;
/** Dead messages of subject $1. */
const DEAD_OF_SUBJECT = 'SELECT count(*) AS n FROM outbox WHERE subject = $1 AND dead_at IS NOT NULL';

const count = async (pool: pg.Pool, sql: string, values: unknown[] = []) => Number((await pool.query(sql, values)).rows[0].n);

/** Committed orders nobody handled. */
const LOST = 'SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM handled h WHERE h.ref = o.ref)';

/** Pending outbox rows (neither sent nor dead). */
const PENDING = 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND dead_at IS NULL';

/** Whether everything committed is handled and nothing is left to publish (cheap enough to poll). */
export async function isDrained(pool: pg.Pool): Promise<boolean> {
  return (await count(pool, PENDING)) === 0 && (await count(pool, LOST)) === 0;
}

/**
 * Reads every count of the report. `rolledBack` and `failed` are the refs the producer reported as
 * rolled back on purpose and as failed for another reason (outcome unknown).
 */
export async function readTally(pool: pg.Pool, rolledBack: string[], failed: string[]): Promise<Tally> {
  const outbox = (
    await pool.query(`SELECT count(*) AS total,
       count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent,
       count(*) FILTER (WHERE dead_at IS NOT NULL) AS dead,
       count(*) FILTER (WHERE sent_at IS NULL AND dead_at IS NULL) AS pending
FROM outbox`)
  ).rows[0];
  const dead = (await pool.query('SELECT id, subject, attempts, last_error FROM outbox WHERE dead_at IS NOT NULL ORDER BY seq')).rows;
  const handled = (await pool.query('SELECT count(*) AS n, count(DISTINCT ref) AS refs FROM handled')).rows[0];
  return {
    committed: await count(pool, 'SELECT count(*) AS n FROM orders'),
    outbox: { total: Number(outbox.total), sent: Number(outbox.sent), dead: Number(outbox.dead), pending: Number(outbox.pending) },
    dead: dead.map((r) => ({ id: r.id, subject: r.subject, attempts: r.attempts, lastError: r.last_error })),
    handledRows: Number(handled.n),
    handledRefs: Number(handled.refs),
    handledMoreThanOnce: await count(pool, 'SELECT count(*) AS n FROM (SELECT ref FROM handled GROUP BY ref HAVING count(*) > 1) d'),
    handledWrongId: await count(
      pool,
      "SELECT count(*) AS n FROM handled h WHERE NOT EXISTS (SELECT 1 FROM outbox m WHERE m.id = h.outbox_id AND m.payload->>'ref' = h.ref)",
    ),
    lost: await count(pool, LOST),
    phantom: await count(pool, 'SELECT count(DISTINCT ref) AS n FROM handled h WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.ref = h.ref)'),
    ordersWithoutEvent: await count(
      pool,
      "SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM outbox m WHERE m.payload->>'ref' = o.ref)",
    ),
    eventsWithoutOrder: await count(
      pool,
      "SELECT count(*) AS n FROM outbox m WHERE m.subject = ANY($1) AND m.payload ? 'ref' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.ref = m.payload->>'ref')",
      [[ORDER_SUBJECT, NEW_SUBJECT]],
    ),
    rolledBackInOrders: await count(pool, 'SELECT count(*) AS n FROM orders WHERE ref = ANY($1)', [rolledBack]),
    rolledBackHandled: await count(pool, 'SELECT count(DISTINCT ref) AS n FROM handled WHERE ref = ANY($1)', [rolledBack]),
    failedThatCommitted: await count(pool, 'SELECT count(*) AS n FROM orders WHERE ref = ANY($1)', [failed]),
    newSubject: {
      committed: await count(pool, COMMITTED_OF_SUBJECT, [NEW_SUBJECT]),
      handledOnce: await count(pool, HANDLED_ONCE_OF_SUBJECT, [NEW_SUBJECT]),
      dead: await count(pool, DEAD_OF_SUBJECT, [NEW_SUBJECT]),
    },
  };
}
