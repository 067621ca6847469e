// The rolling-deploy scenario: a new version of the service introduces a subject, and its relays route
// it; during the rollout the old relays, whose routes lack it, run beside a new one and claim messages
// of the new subject too. No route is a configuration state, not a verdict on the message: an old
// relay must block that route and give its messages back without using a try, so none is dead and the
// new relays publish them all; the old subject keeps flowing. Then the old relays are replaced one by
// one (SIGTERM, each must exit 0, restart with the new routes). The old relays' /readyz and /metrics
// must show the unrouted subject's route blocked meanwhile, and no relay any blocked route after.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cast } from './Cast.js';
import { NEW_SUBJECT, TOPIC_NAME } from './names.js';
import type { RelayChild } from './processes.js';
import { restartRelays } from './restartRelays.js';
import { checkClearAfterFix, probeChild, watchRouteBlocked, type RouteProbeFacts } from './routeProbes.js';
import { pauseRelayKills } from './faults.js';

/** How the relays name the route of a subject they have no route for (`(no route) <subject>`), on /readyz and /metrics. */
export const UNROUTED_NEW_SUBJECT = `(no route) ${NEW_SUBJECT}`;

/**
 * Waits (until `deadline`) for an old relay to publish messages of the old subject while it holds the
 * new subject's route blocked: its `outbox_messages_published_total{route=<the topic>}` grows past the
 * value first read here. Whether one did.
 */
async function oldRelaysKeepPublishing(relays: RelayChild[], facts: RouteProbeFacts, deadline: number): Promise<boolean> {
  const first = new Map<RelayChild, number>();
  while (Date.now() < deadline) {
    for (const relay of relays) {
      const probe = await probeChild(relay, facts);
      if (!probe) continue;
      const published = probe.published[TOPIC_NAME] ?? 0;
      if (!first.has(relay)) first.set(relay, published);
      else if (published > first.get(relay)! && probe.metricBlocked.includes(UNROUTED_NEW_SUBJECT)) return true;
    }
    await sleep(250);
  }
  return false;
}

/**
 * Restarts the first relay with routes for the new subject, then makes the producer send it. The old
 * relays stay for `rollingDeployMs`, and at least until their probes showed the new subject's route
 * blocked and one of them published the old subject meanwhile (60 s at most); then each is
 * replaced in turn. Relay kills pause meanwhile, so no restart races a kill.
 */
export async function rollingDeploy(cast: Cast): Promise<void> {
  await pauseRelayKills(cast);
  const startedAt = Date.now();
  const [first, ...old] = [...cast.relays.keys()];
  cast.relaySettings = { ...cast.relaySettings, newSubjectRouted: true };
  await restartRelays(cast, [first!]);
  cast.producer.send('new-subject');
  const minimum = sleep(cast.scenario.rollingDeployMs);
  const deadline = Date.now() + 60_000;
  const facts = await watchRouteBlocked(() => old.map((name) => cast.relays.get(name)!), { ready: UNROUTED_NEW_SUBJECT, metric: UNROUTED_NEW_SUBJECT }, deadline);
  const flowed = await oldRelaysKeepPublishing(old.map((name) => cast.relays.get(name)!), facts, deadline);
  await minimum;
  for (const name of old) await restartRelays(cast, [name]);
  const endedAt = Date.now();
  await checkClearAfterFix(cast.pool, [...cast.relays.values()], facts);
  cast.relayKillsPaused = false;
  cast.counters.routeProbes['rolling-deploy'] = facts;
  cast.counters.oldRelaysKeptPublishing = flowed;
  cast.counters.faults.push({
    kind: 'rolling-deploy',
    detail: `${first} restarted with a route for ${NEW_SUBJECT}; ${old.join(', ')} without it for ${cast.scenario.rollingDeployMs} ms, then replaced one by one`,
    startedAt,
    endedAt,
  });
}
