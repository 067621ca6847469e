// The faults whose recovery the suite measures: how long healthy traffic is held up after each clears
// (heldUpMs.ts), bounded by the fault's own length plus RECOVERY_BOUND_MS (report.ts fails the run
// beyond it). So that each figure is the recovery from its fault alone, a measured fault runs with the
// random relay kills paused (a killed relay's claims would wait out their lease), and the next fault
// waits until everything committed so far is published.
import type { Cast } from './Cast.js';
import { pauseRelayKills } from './faults.js';
import { publishedSoFar } from './publishedSoFar.js';
import type { FaultRecord } from './RunCounters.js';

/** How long after a fault clears its traffic may still wait: the bound of issue 25. */
export const RECOVERY_BOUND_MS = 2_000;

/** The fault kinds with a held-up figure (clock-skew's spans the throttling storm: clockSkew.ts). */
export const MEASURED_FAULTS: ReadonlyArray<FaultRecord['kind']> = [
  'broker-outage',
  'rolling-deploy',
  'silent-database',
  'postgres-restart',
  'read-only-standby',
  'forbidden-endpoint',
  'wrong-topic-arn',
  'throttling-storm',
  'database-failover',
  'clock-skew',
  'wrong-region-arn',
  'credentials-removed',
  'held-snapshot',
];

/** Measured faults that stop nothing: traffic committed during one may wait RECOVERY_BOUND_MS at most, not the fault's length. */
export const FAULTS_THAT_STOP_NOTHING: ReadonlyArray<FaultRecord['kind']> = ['held-snapshot'];

/** `fault`, run as a measured one: relay kills paused from before it until its backlog is out (60 s at most). */
export function measured(fault: (cast: Cast) => Promise<void>): (cast: Cast) => Promise<void> {
  return async (cast) => {
    await pauseRelayKills(cast);
    try {
      await fault(cast);
      cast.relayKillsPaused = true; // a scenario that restarts relays unpauses them as it ends
      await publishedSoFar(cast.pool, Date.now() + 60_000);
    } finally {
      cast.relayKillsPaused = false;
    }
  };
}
