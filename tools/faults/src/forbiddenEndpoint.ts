// The forbidden-endpoint scenario: for a while the relays' SNS/SQS endpoint answers 403 with an HTML
// page (a proxy or firewall in the way). That is a destination error, not a message error: the relays
// must block the route and give its messages back without using up an attempt, so nothing is
// dead-lettered, and publish everything once the endpoint answers again. Besides the run's usual end
// checks, the relays must have said the route was blocked, and the report says how long the messages
// committed during the fault waited to be published.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Cast } from './Cast.js';

/** The relays' log line when a route becomes blocked (see `outbox-relay run`). */
export const ROUTE_BLOCKED_LOG = 'route blocked';

/** Switches the relays' endpoint proxy to 403 text/html for `forbiddenMs`, then back; records the fault. */
export async function forbiddenEndpoint(cast: Cast): Promise<void> {
  const { proxy } = cast;
  const startedAt = Date.now();
  const before = proxy.forbidden;
  proxy.forbidding = true;
  await sleep(cast.scenario.forbiddenMs);
  proxy.forbidding = false;
  cast.counters.faults.push({
    kind: 'forbidden-endpoint',
    detail: `${cast.scenario.forbiddenMs} ms of 403 text/html, ${proxy.forbidden - before} requests refused`,
    startedAt,
    endedAt: Date.now(),
  });
}

// $1 double precision fault start (epoch ms), $2 double precision fault end (epoch ms)
const HELD_UP_MS = `SELECT coalesce(extract(epoch FROM max(sent_at - created_at)) * 1000, 0) AS ms
  FROM outbox WHERE created_at BETWEEN to_timestamp($1 / 1000.0) AND to_timestamp($2 / 1000.0) AND sent_at IS NOT NULL`;

/**
 * How long healthy traffic was held up by a fault: the longest commit→publish wait (both times from the
 * database's clock) of the messages committed while it lasted.
 */
export async function heldUpMs(pool: pg.Pool, fault: { startedAt: number; endedAt: number }): Promise<number> {
  return Math.round(Number((await pool.query(HELD_UP_MS, [fault.startedAt, fault.endedAt])).rows[0].ms));
}
