import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Receipt } from './queueReceiver.js';

/** The consumer child process of scenario 4: what it received so far, and `stop()`. */
export interface ReceiverProcess {
  /** `n` → [the queue's SentTimestamp (when the emulator put it in the queue), received epoch ms]; first receipt wins. */
  readonly received: Map<number, [sentTimestamp: number, receivedEpochMs: number]>;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('../workers/receiverWorker.js', import.meta.url));

/** Spawns `workers/receiverWorker.js` with `loops` long-poll loops on `queueUrl`; resolves once they run. */
export async function startReceiverProcess(endpoint: string, queueUrl: string, loops: number): Promise<ReceiverProcess> {
  const child = spawn(process.execPath, [script, JSON.stringify({ endpoint, queueUrl, loops })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const received = new Map<number, [number, number]>();
  let ready!: () => void;
  let stopped!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const isStopped = new Promise<void>((resolve) => (stopped = resolve));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const parsed = JSON.parse(line) as Receipt[] | { ready?: true; stopped?: true };
    if (!Array.isArray(parsed)) return parsed.ready ? ready() : stopped();
    for (const [n, sentTimestamp, at] of parsed) if (!received.has(n)) received.set(n, [sentTimestamp, at]);
  });
  await Promise.race([isReady, exited.then(() => Promise.reject(new Error('receiver worker exited before it was ready')))]);
  return {
    received,
    async stop() {
      child.stdin!.write('stop\n');
      await Promise.race([isStopped, exited]);
      await exited;
    },
  };
}
