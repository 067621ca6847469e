import { fileURLToPath } from 'node:url';
import type { PublisherKind, PublisherSlotReport, PublisherWorkerConfig } from '../workers/PublisherWorkerConfig.js';
import { spawnLineWorker } from './lineWorker.js';

/** A publisher child process of publisher-scale (workers/publisherWorker.js). */
export interface PublisherProcess {
  /** Runs `connections` transactions of `kind` at a time for `ms`. */
  run(kind: PublisherKind, ms: number): Promise<PublisherSlotReport>;
  /** Runs `count` transactions of `kind` one at a time. */
  repeat(kind: PublisherKind, count: number): Promise<PublisherSlotReport>;
  /** Runs `count` transactions of `kind` one at a time under the CPU profiler, writing `file` (.cpuprofile). */
  profile(kind: PublisherKind, count: number, file: string): Promise<PublisherSlotReport>;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('../workers/publisherWorker.js', import.meta.url));

/** Spawns a publisher worker and resolves once its DataSource is open. */
export async function startPublisherProcess(config: PublisherWorkerConfig): Promise<PublisherProcess> {
  const worker = await spawnLineWorker(script, config);
  return {
    run: (kind, ms) => worker.ask<PublisherSlotReport>(`run ${kind} ${Math.round(ms)}`),
    repeat: (kind, count) => worker.ask<PublisherSlotReport>(`repeat ${kind} ${count}`),
    profile: (kind, count, file) => worker.ask<PublisherSlotReport>(`profile ${kind} ${count} ${file}`),
    stop: async () => void (await worker.finish('stop')),
  };
}
