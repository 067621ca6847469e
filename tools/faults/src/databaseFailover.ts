// The database-failover scenario: while traffic runs, the primary is stopped at once (an immediate
// shutdown: every connection cut, no checkpoint), its synchronous streaming standby is promoted with
// `pg_ctl promote`, and both database names (the relays' proxy and the one the producer, the consumers
// and this orchestrator use) move to it, as DNS does in a managed failover. Synchronous replication,
// as a failover setup that promises no data loss runs it, so every commit the producer saw is on the
// new writer. The relays must reconnect there by themselves, publish everything, LISTEN there again,
// and answer 200 on /readyz; the usual end checks follow on the new writer, and the report says how
// long healthy traffic was held up.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Cast } from './Cast.js';
import { pauseRelayKills } from './faults.js';
import { publishedSoFar } from './publishedSoFar.js';
import { allReady, type RouteProbeFacts } from './routeProbes.js';

/** What the scenario saw, for the end checks. */
export interface DatabaseFailoverFacts {
  /** How long the primary was gone before the names pointed at the promoted standby. */
  switchMs: number;
  /** Once the backlog was out on the new writer: every relay's /readyz answered 200. */
  readyAfter: boolean | null;
  /** Relays holding LISTEN on the new writer afterwards (every relay must). */
  relaysListening: number;
  relays: number;
}

const address = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });

/** Relay sessions (the sidecar's application_name) holding LISTEN on the server `pool` reaches. */
async function listeningRelays(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'outbox-relay' AND query LIKE 'LISTEN %'`);
  return rows[0].n;
}

/** Stops the primary at once, promotes the standby, moves both names to it; then checks the relays followed. */
export async function databaseFailover(cast: Cast): Promise<void> {
  const { postgres, standby, databaseProxy, appProxy } = cast;
  await pauseRelayKills(cast);
  const startedAt = Date.now();
  await postgres.crash!();
  await standby.promote();
  databaseProxy.moveTo(address(standby.url));
  appProxy.moveTo(address(standby.url));
  const endedAt = Date.now();

  const drained = await publishedSoFar(cast.pool, Date.now() + 60_000);
  const probeFacts: RouteProbeFacts = { seenOnReadyz: false, seenOnMetrics: false, seenAfterMs: null, readyStatusesWhileBlocked: [], clearAfterFix: null, probeErrors: 0 };
  const deadline = Date.now() + 30_000;
  const readyAfter = drained && (await allReady(cast, probeFacts, deadline));
  let relaysListening = await listeningRelays(cast.pool).catch(() => 0);
  while (relaysListening < cast.relays.size && Date.now() < deadline) {
    await sleep(250);
    relaysListening = await listeningRelays(cast.pool).catch(() => 0);
  }
  cast.counters.databaseFailover = { switchMs: endedAt - startedAt, readyAfter, relaysListening, relays: cast.relays.size };
  cast.counters.faults.push({
    kind: 'database-failover',
    detail: `primary stopped at once, standby promoted, names moved in ${endedAt - startedAt} ms; afterwards ${relaysListening} of ${cast.relays.size} relays listen on the new writer, /readyz ${readyAfter ? 'all 200' : 'NOT all 200'}`,
    startedAt,
    endedAt,
  });
}
