import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RelayWorkerConfig, RelayWorkerReport, RelayWorkerSample } from '../workers/RelayWorkerConfig.js';

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
  const child: ChildProcess = spawn(process.execPath, [...(config.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${config.cpuProfileDir}`] : []), script, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`relay worker exited with code ${code} before reporting`));
      child.once('exit', onExit);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  await next();
  return {
    pid: child.pid!,
    go: () => child.stdin!.write('go\n'),
    async sample() {
      const answer = next();
      child.stdin!.write('sample\n');
      return JSON.parse(await answer) as RelayWorkerSample;
    },
    async stop() {
      const report = next();
      const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      child.stdin!.write('stop\n');
      const parsed = JSON.parse(await report) as RelayWorkerReport;
      await exited; // a --cpu-prof child writes its profile as it exits
      return parsed;
    },
  };
}
