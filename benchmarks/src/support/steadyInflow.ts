import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** A producer running at a fixed rate until stopped. */
export interface SteadyInflow {
  /** Calls that completed (committed) so far. */
  readonly committed: number;
  /** Calls that threw so far (counted, not retried). */
  readonly failed: number;
  /** Calls not made because `maxInProgress` were still running (the producer fell behind). */
  readonly skipped: number;
  /** Stops scheduling and waits for the calls in progress. */
  stop(): Promise<void>;
}

/**
 * Calls `send(n)` at `ratePerSec` (n = 0, 1, ...) until stopped, without waiting for earlier calls,
 * checking the schedule every 5 ms. Unlike offerLoad it keeps no list of calls, so it can run for hours,
 * and it never queues: a call that is due while `maxInProgress` are still running is skipped (counted),
 * so a slow machine lowers the inflow instead of piling up work that would outlive the run.
 */
export function startSteadyInflow(ratePerSec: number, send: (n: number) => Promise<void>, maxInProgress = 32): SteadyInflow {
  const state = { committed: 0, failed: 0, skipped: 0 };
  const inProgress = new Set<Promise<void>>();
  let running = true;
  const loop = (async () => {
    const start = performance.now();
    let n = 0;
    while (running) {
      const due = Math.floor(((performance.now() - start) * ratePerSec) / 1000) + 1;
      while (n < due) {
        if (inProgress.size >= maxInProgress) {
          n++;
          state.skipped++;
          continue;
        }
        const call = send(n++).then(
          () => void state.committed++,
          () => void state.failed++,
        );
        inProgress.add(call);
        void call.finally(() => inProgress.delete(call));
      }
      await sleep(5);
    }
  })();
  return {
    get committed() {
      return state.committed;
    },
    get failed() {
      return state.failed;
    },
    get skipped() {
      return state.skipped;
    },
    async stop() {
      running = false;
      await loop;
      await Promise.all(inProgress);
    },
  };
}
