import type { OutboxMaintenance } from '@tx-outbox/outbox-typeorm/internal';

/** Retention running beside a scenario, the way the sidecar runs it. */
export interface RetentionLoop {
  /** Slots emptied so far. */
  readonly emptied: number;
  readonly runs: number;
  /** Runs that threw (the next one is scheduled all the same). */
  readonly failures: number;
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs the table's upkeep (`OutboxMaintenance.run`: retention by emptying whole slots) every
 * `intervalMs`, each run scheduled when the previous one ends, as the sidecar's startMaintenance does.
 */
export function startRetentionLoop(maintenance: Pick<OutboxMaintenance, 'run'>, intervalMs: number): RetentionLoop {
  const state = { emptied: 0, runs: 0, failures: 0 };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const runOnce = () => {
    running = (async () => {
      state.emptied += (await maintenance.run()).emptiedSlots.length;
      state.runs++;
    })()
      .catch(() => void state.failures++)
      .finally(() => {
        if (!stopped) timer = setTimeout(runOnce, intervalMs);
      });
  };
  timer = setTimeout(runOnce, intervalMs);
  return {
    get emptied() {
      return state.emptied;
    },
    get runs() {
      return state.runs;
    },
    get failures() {
      return state.failures;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
