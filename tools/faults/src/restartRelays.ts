import { setTimeout as sleep } from 'node:timers/promises';
import type { Cast } from './Cast.js';
import { spawnRelay } from './processes.js';

/** The relay's log line once it runs (its signal handlers installed): a SIGTERM before it kills a booting relay. */
const RELAY_STARTED_LOG = 'outbox-relay started';

/**
 * SIGTERMs the named relays (all by default; each must exit 0), starts each again with the current
 * `cast.relaySettings` — a deploy of new settings — and waits (60 s at most) until every new relay
 * says it started.
 */
export async function restartRelays(cast: Cast, names: readonly string[] = [...cast.relays.keys()]): Promise<void> {
  const startedBefore = (await cast.supervisor.linesContaining(RELAY_STARTED_LOG)).length;
  await Promise.all(
    names.map(async (name) => {
      const code = await cast.supervisor.terminate(cast.relays.get(name)!, 35_000);
      if (code !== 0) cast.supervisor.unexpectedExits.push(`${name} exited ${code} on the SIGTERM of a route change`);
      cast.relays.set(name, spawnRelay(cast.supervisor, name, cast.relaySettings));
    }),
  );
  const deadline = Date.now() + 60_000;
  while ((await cast.supervisor.linesContaining(RELAY_STARTED_LOG)).length < startedBefore + names.length && Date.now() < deadline) await sleep(200);
}
