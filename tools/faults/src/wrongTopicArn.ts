// The wrong-topic-arn scenario: a deploy points the order subject at a topic ARN that does not exist;
// a while later the relays are restarted with the right routes. A missing topic is a destination
// error: its messages must wait (route blocked, no try used up), none may be dead-lettered, and the
// fixed relays must publish them all without anyone requeueing anything. The report says how long
// the messages committed meanwhile waited.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cast } from './Cast.js';
import { spawnRelay } from './processes.js';

/** The same ARN with the topic's name changed to one that does not exist. */
export function wrongTopicArn(arn: string): string {
  return arn.replace(/:[^:]+$/, ':faults-no-such-topic');
}

/** The relay's log line once it runs (its signal handlers installed): a SIGTERM before it kills a booting relay. */
const RELAY_STARTED_LOG = 'outbox-relay started';

/**
 * SIGTERMs every relay (each must exit 0), starts it again with the current `cast.relaySettings`, and
 * waits (60 s at most) until every new relay says it started.
 */
async function restartRelays(cast: Cast): Promise<void> {
  const startedBefore = (await cast.supervisor.linesContaining(RELAY_STARTED_LOG)).length;
  await Promise.all(
    [...cast.relays].map(async ([name, child]) => {
      const code = await cast.supervisor.terminate(child, 35_000);
      if (code !== 0) cast.supervisor.unexpectedExits.push(`${name} exited ${code} on the SIGTERM of a route change`);
      cast.relays.set(name, spawnRelay(cast.supervisor, name, cast.relaySettings));
    }),
  );
  const deadline = Date.now() + 60_000;
  while ((await cast.supervisor.linesContaining(RELAY_STARTED_LOG)).length < startedBefore + cast.relays.size && Date.now() < deadline) await sleep(200);
}

/**
 * Restarts the relays with the order subject routed to a wrong topic ARN, keeps them so for
 * `wrongTopicMs`, then restarts them with the right routes. Relay kills pause meanwhile, so no
 * restart races a kill.
 */
export async function wrongTopicArnScenario(cast: Cast): Promise<void> {
  const right = cast.relaySettings.topicArn;
  cast.relayKillsPaused = true;
  await sleep(2_000); // a kill under way restarts its relay within 1.5 s
  const startedAt = Date.now();
  cast.relaySettings = { ...cast.relaySettings, topicArn: wrongTopicArn(right) };
  await restartRelays(cast);
  await sleep(cast.scenario.wrongTopicMs);
  cast.relaySettings = { ...cast.relaySettings, topicArn: right };
  await restartRelays(cast);
  cast.relayKillsPaused = false;
  cast.counters.faults.push({
    kind: 'wrong-topic-arn',
    detail: `routes pointed at ${wrongTopicArn(right)} for ${cast.scenario.wrongTopicMs} ms, then relays restarted with the right routes (no requeue)`,
    startedAt,
    endedAt: Date.now(),
  });
}
