// Runs `pnpm bench -- --quick` as a child process so the benchmark scripts cannot rot. Asserts only that
// it finishes and every scenario reports numbers: never the figures' size or the timing targets, which
// mean nothing on a loaded machine. It runs against the suite's PostgreSQL and SNS/SQS endpoint (so
// DATABASE_URL and AWS_ENDPOINT_URL are honoured as in every other test).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../src/scenarios/index.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bench-quick-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DATABASE_URL: inject('databaseUrl'), AWS_ENDPOINT_URL: inject('awsEndpoint') };
    const child = spawn(process.execPath, [main, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pnpm bench --quick', () => {
  // Generous: about a minute alone, several on a shared, loaded 2-core machine.
  it('runs every scenario and writes numeric figures for each', { timeout: 900_000 }, async () => {
    const out = join(dir, 'quick.json');
    const { code, stdout, stderr } = await run(['--quick', `--out=${out}`]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      mode: string;
      results: { id: string; figures: Record<string, unknown>; checks: { value: unknown; met: unknown }[] }[];
    };
    expect(report.mode).toBe('quick');
    expect(report.results.map((r) => r.id)).toEqual(SCENARIOS.map((s) => s.id));
    for (const result of report.results) {
      const values = Object.values(result.figures);
      expect(values.length, result.id).toBeGreaterThan(0);
      for (const value of values) {
        expect(typeof value, result.id).toBe('number');
        expect(Number.isFinite(value), `${result.id}: ${String(value)}`).toBe(true);
      }
      expect(result.checks.length, result.id).toBeGreaterThan(0);
      for (const c of result.checks) expect(typeof c.met, result.id).toBe('boolean');
    }
    // The table on stdout names every scenario.
    for (const s of SCENARIOS) expect(stdout).toContain(s.title);
  });
});
