import { fileURLToPath } from 'node:url';
import type { RelayWorkerConfig, RelayWorkerReport, RelayWorkerSample } from '../workers/RelayWorkerConfig.js';
import { spawnLineWorker } from './lineWorker.js';

/** A relay child process: ready once constructed and connected; `go()` starts it; `stop()` returns its report. */
export interface RelayProcess {
  pid: number;
  go(): void;
  /** What the relay did since the previous sample (claim times, messages, CPU). One at a time. */
  sample(): Promise<RelayWorkerSample>;
  stop(): Promise<RelayWorkerReport>;
}

const script = fileURLToPath(new URL('../workers/relayWorker.js', import.meta.url));

/** Spawns `workers/relayWorker.js` and resolves once it printed `{"ready":true}`. */
export async function startRelayProcess(config: RelayWorkerConfig): Promise<RelayProcess> {
  const worker = await spawnLineWorker(script, config, config.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${config.cpuProfileDir}`] : []);
  return {
    pid: worker.pid,
    go: () => worker.send('go'),
    sample: () => worker.ask<RelayWorkerSample>('sample'),
    stop: () => worker.finish<RelayWorkerReport>('stop'),
  };
}
