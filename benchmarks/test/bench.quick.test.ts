// Runs `pnpm bench -- --quick` as a child process so the benchmark scripts cannot rot. Asserts only that
// it finishes and every scenario reports numbers: never the figures' size or the timing targets, which
// mean nothing on a loaded machine. It runs against the suite's PostgreSQL and SNS/SQS endpoint (so
// DATABASE_URL and AWS_ENDPOINT_URL are honoured as in every other test).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

  // The soak is not in CI at its length; a 15-second one checks that it still samples, writes its CSV
  // and draws a PNG.
  it('--soak writes a CSV with a line per sample and a PNG chart', { timeout: 300_000 }, async () => {
    const soakDir = mkdtempSync(join(dir, 'soak-'));
    const out = join(soakDir, 'soak.json');
    const { code, stderr } = await run(['--quick', '--soak', '--soak-minutes=0.25', '--soak-rate=20', '--soak-history-rows=0', `--out=${out}`]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { mode: string; results: { id: string; figures: Record<string, number> }[] };
    expect(report.mode).toBe('soak');
    expect(report.results.map((r) => r.id)).toEqual(['soak']);
    expect(report.results[0]!.figures['messages committed']).toBeGreaterThan(0);
    const files = readdirSync(soakDir);
    const csv = files.find((f) => f.endsWith('.csv'));
    const png = files.find((f) => f.endsWith('.png'));
    expect(csv, files.join(', ')).toBeDefined();
    const lines = readFileSync(join(soakDir, csv!), 'utf8').trim().split('\n');
    expect(lines[0]).toContain('claimP99Ms');
    expect(lines.length).toBeGreaterThanOrEqual(3); // header + one line per 5-second sample
    expect(png, files.join(', ')).toBeDefined();
    expect(readFileSync(join(soakDir, png!)).subarray(1, 4).toString()).toBe('PNG');
  });
});
