import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** A started child process whose output goes to a log file. */
export interface ChildService {
  name: string;
  process: ChildProcess;
  logFile: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends SIGTERM (or `signal`) and waits for the exit; resolves at once if it already exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** The last lines of the log, for a failure report. */
  tail(lines?: number): Promise<string>;
}

export interface StartChildOptions {
  name: string;
  script: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Resolve `start` once a JSON stdout line satisfies this; without it, `start` resolves at spawn. */
  readyWhen?: (line: Record<string, unknown>) => boolean;
  /** Give up waiting for readiness after this long. @defaultValue 30000 */
  readyTimeoutMs?: number;
}

/** Every child started, so the demo can stop them all and show their logs on any exit path. */
export const startedChildren: ChildService[] = [];

/**
 * Spawns `node script args` and, with `readyWhen`, waits for its ready line.
 * @returns the child and the JSON line that made it ready (or `{}`).
 */
export async function startChild(options: StartChildOptions): Promise<{ child: ChildService; ready: Record<string, unknown> }> {
  const { name, script, args = [], env, logFile, readyWhen, readyTimeoutMs = 30_000 } = options;
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  const proc = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const child: ChildService = {
    name,
    process: proc,
    logFile,
    exited,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
    async tail(lines = 15) {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    },
  };
  startedChildren.push(child);
  void exited.then(() => log.end());
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not report ready within ${readyTimeoutMs} ms (log: ${logFile})`)), readyTimeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready (log: ${logFile})`));
    });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      log.write(line + '\n');
      const json = parseJsonLine(line);
      if (json && readyWhen?.(json)) {
        clearTimeout(timer);
        resolve(json);
      }
    });
    if (!readyWhen) {
      clearTimeout(timer);
      resolve({});
    }
  });
  return { child, ready: await ready };
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
