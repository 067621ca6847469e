import { fileURLToPath } from 'node:url';
import type { ClaimLoopConfig, ClaimLoopSample, StatsProbe } from '../workers/ClaimLoopConfig.js';
import { spawnLineWorker } from './lineWorker.js';

/** The claim → markSent loop of worst-day in a child process (workers/claimLoopWorker.js). */
export interface ClaimLoopProcess {
  go(): void;
  /** What it did since the previous sample. One at a time. */
  sample(): Promise<ClaimLoopSample>;
  /** One `store.stats()` on its connections (so under its role's settings). */
  stats(): Promise<StatsProbe>;
  /** `SHOW statement_timeout` on its connections, e.g. `50ms`, or `0` for none. */
  statementTimeout(): Promise<string>;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('../workers/claimLoopWorker.js', import.meta.url));

/** Spawns the claim loop and resolves once it is connected. */
export async function startClaimLoopProcess(config: ClaimLoopConfig): Promise<ClaimLoopProcess> {
  const worker = await spawnLineWorker(script, config);
  return {
    go: () => worker.send('go'),
    sample: () => worker.ask<ClaimLoopSample>('sample'),
    stats: () => worker.ask<StatsProbe>('stats'),
    statementTimeout: async () => (await worker.ask<{ statementTimeout: string }>('timeout')).statementTimeout,
    stop: async () => void (await worker.finish('stop')),
  };
}
