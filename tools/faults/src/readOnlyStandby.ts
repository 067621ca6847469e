// The read-only-standby scenario: for a while the relays' database name (their TCP proxy, which plays
// DNS) points at the primary's streaming standby, their connections cut as a failover cuts them; the
// producer and the consumers keep writing to the primary. On the standby every read succeeds and every
// claim fails (`cannot execute SELECT FOR UPDATE in a read-only transaction`): each relay's /readyz
// must answer 503 saying the server is in recovery, not 200. Then the name points back at the primary
// without cutting anything (DNS leaves open connections alone): the relays must get back to the writer
// by themselves, publish what waited, and every /readyz must be 200 again. The usual end checks follow,
// and the report says how long healthy traffic was held up.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cast } from './Cast.js';
import { pauseRelayKills } from './faults.js';
import { publishedSoFar } from './publishedSoFar.js';
import { allReady, probeChild, type RouteProbeFacts } from './routeProbes.js';

/** What /readyz gives as the reason on a standby (RelayReadiness: check `writable`, the store's code). */
const IN_RECOVERY = 'writable:in-recovery';

/** What the scenario saw, for the end checks. */
export interface ReadOnlyStandbyFacts {
  /** Relays whose /readyz answered 503 with the in-recovery reason while the name pointed at the standby. */
  relaysSeenNotReady: number;
  /** Every relay. */
  relays: number;
  /** Reasons /readyz gave meanwhile (`check` or `check:code`). */
  reasonsSeen: string[];
  /** After the name pointed back and the backlog was out: every relay's /readyz answered 200. */
  readyAfter: boolean | null;
}

const address = (url: string) => ({ host: new URL(url).hostname, port: Number(new URL(url).port) });

/**
 * Points the relays' database proxy at the standby (cutting their connections) for at least
 * `readOnlyStandbyMs` and until every relay's /readyz said why it is not ready (60 s at most), then back
 * at the primary without a cut; checks every /readyz is 200 once the backlog is out.
 */
export async function readOnlyStandby(cast: Cast): Promise<void> {
  const { databaseProxy, standby, scenario } = cast;
  await pauseRelayKills(cast);
  const primary = databaseProxy.target;
  const startedAt = Date.now();
  databaseProxy.moveTo(address(standby.url), { cut: true });
  const minimum = sleep(scenario.readOnlyStandbyMs);
  const probeFacts: RouteProbeFacts = { seenOnReadyz: false, seenOnMetrics: false, seenAfterMs: null, readyStatusesWhileBlocked: [], clearAfterFix: null, probeErrors: 0 };
  const seen = new Set<string>();
  const reasons = new Set<string>();
  const deadline = Date.now() + 60_000;
  while (seen.size < cast.relays.size && Date.now() < deadline) {
    for (const [name, relay] of cast.relays) {
      const probe = await probeChild(relay, probeFacts);
      for (const reason of probe?.readyReasons ?? []) reasons.add(reason);
      if (probe?.readyStatus === 503 && probe.readyReasons.includes(IN_RECOVERY)) seen.add(name);
    }
    await sleep(250);
  }
  await minimum;
  databaseProxy.moveTo(primary);
  const endedAt = Date.now();
  const drained = await publishedSoFar(cast.pool, Date.now() + 60_000);
  cast.counters.readOnlyStandby = {
    relaysSeenNotReady: seen.size,
    relays: cast.relays.size,
    reasonsSeen: [...reasons].sort(),
    readyAfter: drained && (await allReady(cast, probeFacts, Date.now() + 30_000)),
  };
  cast.counters.faults.push({
    kind: 'read-only-standby',
    detail: `relays' database name on the standby for ${((endedAt - startedAt) / 1000).toFixed(1)} s: ${seen.size} of ${cast.relays.size} relays said not ready (${[...reasons].join(', ') || 'no reason'}); back on the primary without a cut`,
    startedAt,
    endedAt,
  });
}
