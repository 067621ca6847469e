import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** What `workers/bareLoopWorker.js` reports: published messages, rate and its process's CPU time. */
export interface BareLoopReport {
  messages: number;
  msgPerSec: number;
  cpuUserMicros: number;
  cpuSystemMicros: number;
}

const script = fileURLToPath(new URL('../workers/bareLoopWorker.js', import.meta.url));

/** Runs the bare PublishBatch loop in a child process and returns its report. */
export async function runBareLoopProcess(endpoint: string, topicArn: string, messages: number, concurrency: number): Promise<BareLoopReport> {
  const { stdout } = await promisify(execFile)(process.execPath, [script, JSON.stringify({ endpoint, topicArn, messages, concurrency })], { timeout: 600_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as BareLoopReport;
}
