// The wrong-topic-arn scenario: a deploy points the order subject at a topic ARN that does not exist;
// a while later the relays are restarted with the right routes. A missing topic is a destination
// error: its messages must wait (route blocked, no try used up), none may be dead-lettered, and the
// fixed relays must publish them all without anyone requeueing anything. Meanwhile the relays'
// /readyz and /metrics are polled as an operator's probes would: they must show the route blocked
// while it is, and no blocked route once the fixed relays have published its backlog (routeProbes.ts).
// The report says how long the messages committed meanwhile waited.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cast } from './Cast.js';
import { restartRelays } from './restartRelays.js';
import { checkClearAfterFix, watchRouteBlocked } from './routeProbes.js';
import { pauseRelayKills } from './faults.js';

const WRONG_TOPIC_NAME = 'faults-no-such-topic';

/** The same ARN with the topic's name changed to one that does not exist. */
export function wrongTopicArn(arn: string): string {
  return arn.replace(/:[^:]+$/, `:${WRONG_TOPIC_NAME}`);
}

/**
 * Restarts the relays with the order subject routed to a wrong topic ARN and keeps them so for
 * `wrongTopicMs`, and at least until their /readyz and /metrics showed the route blocked (60 s at
 * most); then restarts them with the right routes and checks the probes show no blocked route once
 * the backlog is out. Relay kills pause meanwhile, so no restart races a kill.
 */
export async function wrongTopicArnScenario(cast: Cast): Promise<void> {
  const right = cast.relaySettings.topicArn;
  await pauseRelayKills(cast);
  const startedAt = Date.now();
  cast.relaySettings = { ...cast.relaySettings, topicArn: wrongTopicArn(right) };
  await restartRelays(cast);
  const minimum = sleep(cast.scenario.wrongTopicMs);
  const facts = await watchRouteBlocked(() => [...cast.relays.values()], { ready: wrongTopicArn(right), metric: WRONG_TOPIC_NAME }, Date.now() + 60_000);
  await minimum;
  cast.relaySettings = { ...cast.relaySettings, topicArn: right };
  await restartRelays(cast);
  const endedAt = Date.now();
  await checkClearAfterFix(cast.pool, [...cast.relays.values()], facts);
  cast.relayKillsPaused = false;
  cast.counters.routeProbes['wrong-topic-arn'] = facts;
  cast.counters.faults.push({
    kind: 'wrong-topic-arn',
    detail: `routes pointed at ${wrongTopicArn(right)} for ${cast.scenario.wrongTopicMs} ms, then relays restarted with the right routes (no requeue)`,
    startedAt,
    endedAt,
  });
}
