import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseEvent, type ChildEvent } from './childEvents.js';

/** A child process of the scenario, under one stable name (`relay-2`) across restarts. */
export interface ManagedChild {
  name: string;
  process: ChildProcess;
  /** Resolves once the process has exited, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Writes one command line to its stdin (producer commands). */
  send(command: string): void;
}

export interface SpawnOptions {
  args: string[];
  env?: NodeJS.ProcessEnv;
  onEvent?: (event: ChildEvent) => void;
  /** Every stdout line (e.g. a relay's JSON log line that carries its HTTP port). */
  onLine?: (line: string) => void;
}

/**
 * Starts, kills and restarts the scenario's processes; keeps each one's output in a log file; and
 * records every exit the scenario did not cause (a crash is a finding: processes must ride out faults).
 */
export class Supervisor {
  readonly unexpectedExits: string[] = [];
  private readonly running = new Set<ManagedChild>();
  private readonly intended = new WeakSet<ManagedChild>();
  private readonly logs = new Map<string, WriteStream>();
  private closed = false;

  constructor(private readonly logDir: string) {}

  /** @throws Error after `killAll()`: a fault still in progress must not leave a new child behind. */
  spawn(name: string, options: SpawnOptions): ManagedChild {
    if (this.closed) throw new Error(`not starting ${name}: the run is being cleaned up`);
    const child = spawn(process.execPath, options.args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const log = this.logFor(name);
    log.write(`--- ${new Date().toISOString()} started pid ${child.pid}\n`);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.write(line + '\n');
      options.onLine?.(line);
      const event = options.onEvent && parseEvent(line);
      if (event) options.onEvent!(event);
    });
    child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
    child.stdin!.on('error', () => {}); // a killed child's stdin may break; the exit is what counts
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const managed: ManagedChild = { name, process: child, exited, send: (command) => child.stdin!.write(command + '\n') };
    this.running.add(managed);
    void exited.then(({ code, signal }) => {
      this.running.delete(managed);
      log.write(`--- ${new Date().toISOString()} pid ${child.pid} exited code=${code} signal=${signal}\n`);
      if (!this.intended.has(managed) && code !== 0) this.unexpectedExits.push(`${name} (pid ${child.pid}) exited with code ${code} signal ${signal}`);
    });
    return managed;
  }

  /** Sends a signal the scenario means to send; the resulting exit is not a finding. */
  kill(child: ManagedChild, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.intended.add(child);
    child.process.kill(signal);
    return child.exited;
  }

  /** SIGTERM and wait up to `graceMs`; returns each child's exit code. The caller checks them. */
  async terminate(child: ManagedChild, graceMs: number): Promise<number | null> {
    this.intended.add(child);
    child.process.kill('SIGTERM');
    const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
    const { code } = await child.exited;
    clearTimeout(timer);
    return code;
  }

  /** SIGKILLs whatever still runs (cleanup on failure or interrupt). */
  async killAll(): Promise<void> {
    this.closed = true;
    const left = [...this.running];
    for (const child of left) {
      this.intended.add(child);
      child.process.kill('SIGKILL');
    }
    await Promise.all(left.map((c) => c.exited));
    await Promise.all([...this.logs.values()].map((log) => new Promise((resolve) => log.end(resolve))));
  }

  /** The last lines of a child's log, for a failure report. */
  async tail(name: string, lines: number): Promise<string> {
    const text = await readFile(join(this.logDir, `${name}.log`), 'utf8').catch(() => '');
    return text.split('\n').slice(-lines - 1).join('\n');
  }

  /** Every log line (of every child, across restarts) that contains `text`, as `name: line`. */
  async linesContaining(text: string): Promise<string[]> {
    const found: string[] = [];
    for (const name of this.logs.keys()) {
      for (const line of await this.logLines(name)) if (line.includes(text)) found.push(`${name}: ${line}`);
    }
    return found;
  }

  /** Every line of one child's log so far (across restarts), the supervisor's own `---` lines included. */
  async logLines(name: string): Promise<string[]> {
    // A write's callback runs once it and everything before it reached the file.
    await Promise.all([...this.logs.values()].map((log) => new Promise((resolve) => log.write('', resolve))));
    return (await readFile(join(this.logDir, `${name}.log`), 'utf8').catch(() => '')).split('\n');
  }

  logNames(): string[] {
    return [...this.logs.keys()];
  }

  private logFor(name: string): WriteStream {
    let log = this.logs.get(name);
    if (!log) {
      log = createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
      this.logs.set(name, log);
    }
    return log;
  }
}
