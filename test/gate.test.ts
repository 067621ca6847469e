// The test suite is a gate: a failing test or a file that fails to load must fail the run, through
// the same global setup (real PostgreSQL and SNS/SQS) the suite uses, and CI's summary must say so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runVitest, summarize } from './runVitest.js';

const config = 'test/fixtures/gate/vitest.config.mts';

describe('the test run', () => {
  it('exits non-zero when a test fails, and CI prints "1 passed, 1 failed" and fails', async () => {
    const run = await runVitest(config, ['failing.fixture.ts']);
    expect(run.code, run.output).toBe(1);
    expect(run.ci).toEqual({ code: 1, line: '1 passed, 1 failed' });
  });

  it('exits non-zero when a test file fails to load, and CI counts it as failed', async () => {
    const run = await runVitest(config, ['broken.fixture.ts']);
    expect(run.code, run.output).toBe(1);
    expect(run.ci).toEqual({ code: 1, line: '0 passed, 1 failed' });
  });

  it('exits 0 when every test passes, and CI prints "1 passed, 0 failed" and passes', async () => {
    const run = await runVitest(config, ['passing.fixture.ts']);
    expect(run.code, run.output).toBe(0);
    expect(run.ci).toEqual({ code: 0, line: '1 passed, 0 failed' });
  });

  it('CI fails when no test ran, or when the runner left no report', async () => {
    const run = await runVitest(config, ['no-such.fixture.ts', '--passWithNoTests']);
    expect(run.code, run.output).toBe(0);
    expect(run.ci).toEqual({ code: 1, line: '0 passed, 0 failed' });
    expect(summarize('/nonexistent/report.json', 1)).toEqual({ code: 1, line: '0 passed, 1 failed' });
  });

  it('CI on two Nodes prints one line per Node, then the sums, and fails when either run failed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tx-outbox-two-nodes-'));
    try {
      // Reports as vitest's JSON reporter writes them: one passing run, one with a failed test.
      const report = (statuses: string[]) => ({
        numPassedTests: statuses.filter((s) => s === 'passed').length,
        numFailedTests: statuses.filter((s) => s === 'failed').length,
        testResults: [{ status: statuses.includes('failed') ? 'failed' : 'passed', assertionResults: statuses.map((status) => ({ status })) }],
      });
      writeFileSync(join(dir, 'a.json'), JSON.stringify(report(['passed'])));
      writeFileSync(join(dir, 'b.json'), JSON.stringify(report(['passed', 'failed'])));
      const args = ['.ci/summarize.mjs', 'node A', join(dir, 'a.json'), '0', 'node B', join(dir, 'b.json'), '1'];
      const result = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
      expect({ code: result.status, lines: result.stdout.trim().split('\n') }).toEqual({
        code: 1,
        lines: ['node A: 1 passed, 0 failed', 'node B: 1 passed, 1 failed', '2 passed, 1 failed'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
