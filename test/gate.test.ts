// The test suite is a gate: a failing test or a file that fails to load must fail the run, through
// the same global setup (real PostgreSQL and SNS/SQS) the suite uses, and CI's summary must say so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runVitest } from './runVitest.js';

const config = 'test/fixtures/gate/vitest.config.mts';
const reports = mkdtempSync(join(tmpdir(), 'tx-outbox-gate-'));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

/** Runs CI's summary step on a report, as .ci/run does. */
function summarize(report: string, runnerStatus: number | null) {
  const result = spawnSync(process.execPath, ['.ci/summarize.mjs', report, String(runnerStatus)], { cwd: repoRoot, encoding: 'utf8' });
  return { code: result.status, line: result.stdout.trim() };
}

describe('the test run', () => {
  it('exits non-zero when a test fails, and CI prints "1 passed, 1 failed" and fails', async () => {
    const report = join(reports, 'failing.json');
    const run = await runVitest(config, ['failing.fixture.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
    expect(run.code, run.output).toBe(1);
    expect(summarize(report, run.code)).toEqual({ code: 1, line: '1 passed, 1 failed' });
  });

  it('exits non-zero when a test file fails to load, and CI counts it as failed', async () => {
    const report = join(reports, 'broken.json');
    const run = await runVitest(config, ['broken.fixture.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
    expect(run.code, run.output).toBe(1);
    expect(summarize(report, run.code)).toEqual({ code: 1, line: '0 passed, 1 failed' });
  });

  it('exits 0 when every test passes, and CI prints "1 passed, 0 failed" and passes', async () => {
    const report = join(reports, 'passing.json');
    const run = await runVitest(config, ['passing.fixture.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
    expect(run.code, run.output).toBe(0);
    expect(summarize(report, run.code)).toEqual({ code: 0, line: '1 passed, 0 failed' });
  });

  it('CI fails when no test ran or the runner failed without a report', async () => {
    const report = join(reports, 'none.json');
    const run = await runVitest(config, ['no-such.fixture.ts', '--passWithNoTests', '--reporter=json', `--outputFile.json=${report}`]);
    expect(run.code, run.output).toBe(0);
    expect(summarize(report, run.code)).toEqual({ code: 1, line: '0 passed, 0 failed' });
    expect(summarize(join(reports, 'missing.json'), 1)).toEqual({ code: 1, line: '0 passed, 1 failed' });
  });
});
