// Runs vitest in a child process on a fixture config, for tests of the test run itself (the gate and
// the leak guard), and CI's summary step (.ci/summarize.mjs) on its JSON report.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const vitestBin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

export interface VitestRun {
  code: number | null;
  output: string;
  /** What .ci/run prints for this run (`N passed, N failed`) and its exit code. */
  ci: { code: number | null; line: string };
}

/**
 * `vitest run --config <config> <args…>` from the repository root, with a JSON report that CI's
 * summary step then reads, as .ci/run does. Resolves when both exited; rejects after `timeoutMs`.
 */
export async function runVitest(config: string, args: string[], timeoutMs = 120_000): Promise<VitestRun> {
  const reports = mkdtempSync(join(tmpdir(), 'tx-outbox-run-'));
  const report = join(reports, 'report.json');
  try {
    const { code, output } = await spawnVitest(config, [...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], timeoutMs);
    return { code, output, ci: summarize(report, code) };
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

function spawnVitest(config: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
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
      resolve({ code, output: output.replace(/\x1b\[[0-9;]*m/g, '') });
    });
  });
}

/** CI's summary step on a report path that may not exist, with the runner's exit status. */
export function summarize(report: string, runnerStatus: number | null): { code: number | null; line: string } {
  const result = spawnSync(process.execPath, ['.ci/summarize.mjs', report, String(runnerStatus)], { cwd: repoRoot, encoding: 'utf8' });
  return { code: result.status, line: result.stdout.trim() };
}
