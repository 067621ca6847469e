// The silent-database scenario: the relays reach PostgreSQL through a TCP proxy (devkit's
// startSilentProxy) that, for a while, stops forwarding: every socket stays open, no byte passes, no
// error comes (a network partition, a half-open connection). The producer and consumers reach
// PostgreSQL directly and keep going. The relays must say so within their deadlines (a log line with
// the pool's or the relay's timeout), and keep running: a relay SIGTERMed meanwhile must stop by
// itself (not by its shutdown timer) and exit 0, and one started meanwhile must start (its stats
// read and its LISTEN have deadlines). When the partition ends (the silenced connections cut, as a
// partition ends with resets) they publish the backlog; the usual end checks follow, and the report
// says how long healthy traffic was held up.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cast } from './Cast.js';
import { spawnRelay } from './processes.js';
import { pauseRelayKills } from './faults.js';

/** What the relays log when a database call meets the silence: the pool's deadlines, or the relay's own. */
const SILENCE_REPORTS = ['Query read timeout', 'StoreTimeoutError', 'timeout exceeded when trying to connect'];
/** The sidecar's line when its shutdown timer, not its own stop, ended a stop. */
const SHUTDOWN_TIMER_LOG = 'shutdown timeout:';
const RELAY_STARTED_LOG = 'outbox-relay started';

/** What the scenario saw, for the end checks. */
export interface SilentDatabaseFacts {
  /** Relay log lines reporting a database timeout during the silence. */
  reports: number;
  /** Exit code of the relay SIGTERMed during the silence (0 expected). */
  stopExitCode: number | null;
  /** Whether that stop needed the shutdown timer (it must not: stop() has deadlines of its own). */
  stopHitShutdownTimer: boolean;
  /** Whether the relay started again during the silence said it started before the partition ended. */
  startedWhileSilent: boolean;
}

const count = async (cast: Cast, texts: readonly string[]) => {
  let n = 0;
  for (const text of texts) n += (await cast.supervisor.linesContaining(text)).filter((l) => l.startsWith('relay-')).length;
  return n;
};

/** Waits until `test()` holds or `ms` passed; whether it held. */
async function waitUntil(test: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await test()) return true;
    await sleep(250);
  }
  return test();
}

/**
 * Silences the relays' database proxy for at least `silentDatabaseMs`: waits for the relays to report
 * it, SIGTERMs the last relay and starts it again, all while the silence lasts, then lets the
 * partition end. Random relay kills pause meanwhile.
 */
export async function silentDatabase(cast: Cast): Promise<void> {
  const { supervisor, databaseProxy, scenario } = cast;
  await pauseRelayKills(cast);
  const reportsBefore = await count(cast, SILENCE_REPORTS);
  const timersBefore = await count(cast, [SHUTDOWN_TIMER_LOG]);
  const startedBefore = (await supervisor.linesContaining(RELAY_STARTED_LOG)).length;
  const startedAt = Date.now();
  databaseProxy.silence();

  const reported = await waitUntil(async () => (await count(cast, SILENCE_REPORTS)) > reportsBefore, 60_000);
  const name = [...cast.relays.keys()].at(-1)!;
  const stopExitCode = await supervisor.terminate(cast.relays.get(name)!, scenario.relayShutdownGraceMs);
  const stopHitShutdownTimer = (await count(cast, [SHUTDOWN_TIMER_LOG])) > timersBefore;
  cast.relays.set(name, spawnRelay(supervisor, name, cast.relaySettings));
  const startedWhileSilent = await waitUntil(async () => (await supervisor.linesContaining(RELAY_STARTED_LOG)).length > startedBefore, 60_000);
  await sleep(Math.max(0, startedAt + scenario.silentDatabaseMs - Date.now()));
  const reports = (await count(cast, SILENCE_REPORTS)) - reportsBefore;
  databaseProxy.resume();
  cast.relayKillsPaused = false;

  cast.counters.silentDatabase = { reports, stopExitCode, stopHitShutdownTimer, startedWhileSilent };
  cast.counters.faults.push({
    kind: 'silent-database',
    detail:
      `relays' database connections silent: ${reported ? `${reports} timeout reports` : 'NOT reported'}; ` +
      `${name} SIGTERMed meanwhile exited ${stopExitCode}${stopHitShutdownTimer ? ' by its shutdown timer' : ''}, ` +
      `restarted ${startedWhileSilent ? 'and started' : 'but did NOT start'} while silent`,
    startedAt,
    endedAt: Date.now(),
  });
}
