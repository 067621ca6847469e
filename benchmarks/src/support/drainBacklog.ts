import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { countPending } from '../sql/countPending.js';
import { lastSentAtMs } from '../sql/lastSentAt.js';
import type { RelayWorkerConfig, RelayWorkerReport, RelayWorkerSample } from '../workers/RelayWorkerConfig.js';
import { startRelayProcess } from './relayProcess.js';
import { rate } from './stopwatch.js';

export interface DrainResult {
  messages: number;
  ms: number;
  msgPerSec: number;
  reports: RelayWorkerReport[];
  /** Each relay's claim, mark and publish times over the drain (when asked for). */
  samples: RelayWorkerSample[];
}

/**
 * Drains the pending backlog of `table` with `processes` relay child processes started together.
 * The time runs from the "go" to the last `sent_at` written (same machine clock), so the 100 ms
 * completion poll adds no error; process start-up is excluded (the children are ready before "go").
 */
export async function drainBacklog(
  pool: pg.Pool,
  table: string,
  config: RelayWorkerConfig,
  processes = 1,
  timeoutMs = 600_000,
  withSamples = false,
): Promise<DrainResult> {
  const messages = await countPending(pool, table);
  const relays = await Promise.all(Array.from({ length: processes }, () => startRelayProcess(config)));
  const goAt = Date.now();
  for (const relay of relays) relay.go();
  const deadline = goAt + timeoutMs;
  while ((await countPending(pool, table)) > 0) {
    if (Date.now() > deadline) {
      await Promise.all(relays.map((r) => r.stop()));
      throw new Error(`drain of ${messages} messages did not finish within ${timeoutMs} ms`);
    }
    await sleep(100);
  }
  const samples = withSamples ? await Promise.all(relays.map((r) => r.sample())) : [];
  const reports = await Promise.all(relays.map((r) => r.stop()));
  const ms = ((await lastSentAtMs(pool, table)) ?? Date.now()) - goAt;
  return { messages, ms, msgPerSec: rate(messages, ms), reports, samples };
}
