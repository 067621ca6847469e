import type { Cast } from './Cast.js';
import { spawnRelay, untilStarted } from './processes.js';

/**
 * SIGTERMs the named relays (all by default; each must exit 0; pause the relay kills first, see
 * pauseRelayKills), starts each again with the current `cast.relaySettings` — a deploy of new
 * settings — and waits (60 s at most) until every new relay runs.
 */
export async function restartRelays(cast: Cast, names: readonly string[] = [...cast.relays.keys()]): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      const old = cast.relays.get(name)!;
      const code = await cast.supervisor.terminate(old, cast.scenario.relayShutdownGraceMs);
      if (code !== 0) cast.supervisor.unexpectedExits.push(`${name} exited ${code} (signal ${(await old.exited).signal}) on the SIGTERM of a route change`);
      const fresh = spawnRelay(cast.supervisor, name, cast.relaySettings);
      cast.relays.set(name, fresh);
      await untilStarted(fresh);
    }),
  );
}
