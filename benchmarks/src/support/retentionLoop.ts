import type { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';

/** Retention running beside a scenario, the way the sidecar runs it. */
export interface RetentionLoop {
  /** Rows deleted so far. */
  readonly deleted: number;
  readonly runs: number;
  /** Runs that threw (the next one is scheduled all the same). */
  readonly failures: number;
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Calls the store's retention (`deleteSent`) every `intervalMs` for messages sent more than
 * `olderThanMs` ago, each run scheduled when the previous one ends, as the sidecar's startRetention does.
 */
export function startRetentionLoop(store: Pick<PostgresOutboxStore, 'deleteSent'>, olderThanMs: number, intervalMs: number): RetentionLoop {
  const state = { deleted: 0, runs: 0, failures: 0 };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const runOnce = () => {
    running = (async () => {
      state.deleted += await store.deleteSent({ olderThanMs });
      state.runs++;
    })()
      .catch(() => void state.failures++)
      .finally(() => {
        if (!stopped) timer = setTimeout(runOnce, intervalMs);
      });
  };
  timer = setTimeout(runOnce, intervalMs);
  return {
    get deleted() {
      return state.deleted;
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
