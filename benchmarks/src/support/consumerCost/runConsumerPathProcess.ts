import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ConsumerCostWorkerConfig, ConsumerCostWorkerReport } from './ConsumerPath.js';

const script = fileURLToPath(new URL('../../workers/consumerCostWorker.js', import.meta.url));

/** Runs one receive path in a child process (under `node --cpu-prof` when `cpuProfileDir` is given) and returns its report. */
export async function runConsumerPathProcess(config: ConsumerCostWorkerConfig, cpuProfileDir?: string): Promise<ConsumerCostWorkerReport> {
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [];
  const { stdout } = await promisify(execFile)(process.execPath, [...profile, script, JSON.stringify(config)], { timeout: 900_000, maxBuffer: 16 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ConsumerCostWorkerReport;
}
