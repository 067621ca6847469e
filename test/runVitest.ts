// Runs vitest in a child process on a fixture config, for tests of the test run itself.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const vitestBin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

export interface VitestRun {
  code: number | null;
  output: string;
}

/** `vitest run --config <config> <args…>` from the repository root; resolves when it exits. */
export function runVitest(config: string, args: string[], timeoutMs = 120_000): Promise<VitestRun> {
  // Drop the outer run's worker variables, so the inner vitest starts as a fresh top-level run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'TEST'));
  const child = spawn(process.execPath, [vitestBin, 'run', '--config', config, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vitest on ${config} did not finish within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
