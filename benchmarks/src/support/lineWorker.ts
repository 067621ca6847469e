import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A bench child process that answers commands on stdin with one JSON line each on stdout. */
export interface LineWorker {
  pid: number;
  /** Writes a command line without waiting for an answer. */
  send(command: string): void;
  /** Writes a command line and resolves with the next line the child prints, parsed. */
  ask<T>(command: string): Promise<T>;
  /** Writes `command` (e.g. "stop"), reads its answer, and waits for the process to exit. */
  finish<T>(command: string): Promise<T>;
}

/**
 * Spawns `node [nodeArgs] script config` (the config as JSON in argv[2]) and resolves once the child
 * printed its first line (`{"ready":true}`); rejects if it exits before any line it was asked for.
 */
export async function spawnLineWorker(script: string, config: unknown, nodeArgs: string[] = []): Promise<LineWorker> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${script} exited with code ${code} before answering`));
      child.once('exit', onExit);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  await next();
  return {
    pid: child.pid!,
    send: (command) => void child.stdin!.write(`${command}\n`),
    async ask<T>(command: string) {
      const answer = next();
      child.stdin!.write(`${command}\n`);
      return JSON.parse(await answer) as T;
    },
    async finish<T>(command: string) {
      const answer = next();
      const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      child.stdin!.write(`${command}\n`);
      const parsed = JSON.parse(await answer) as T;
      await exited; // a --cpu-prof child writes its profile as it exits
      return parsed;
    },
  };
}
