// The leak guard fails a file that leaves something open, naming it: run on fixtures that leak on
// purpose, through the suite's own setup (test/leakGuard.setup.ts, tools/devkit leakGuard.ts).
import { describe, expect, it } from 'vitest';
import { runVitest } from './runVitest.js';

const config = 'test/fixtures/leak/vitest.config.mts';

describe('the leak guard', () => {
  it('fails a file that leaves a pool open, naming the pool, where it was opened, and its database session', async () => {
    const run = await runVitest(config, ['leaksPool.fixture.ts']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain('LeakError');
    expect(run.output).toMatch(/pg pool still open \(opened at .*leaksPool\.fixture\.ts/);
    expect(run.output).toMatch(/database session on leak_[0-9a-f]+: pid \d+ application_name "leaky-fixture", idle, last query: SELECT 1 AS one/);
    // Its one test passed, yet CI counts the file as a failure.
    expect(run.ci).toEqual({ code: 1, line: '1 passed, 1 failed' });
  });

  it('fails a file that leaves a relay running, naming it', async () => {
    const run = await runVitest(config, ['leaksRelay.fixture.ts']);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toMatch(/relay still open \(opened at .*leaksRelay\.fixture\.ts/);
  });

  it('passes a file that closes what it opened', async () => {
    const run = await runVitest(config, ['closesAll.fixture.ts']);
    expect(run.code, run.output).toBe(0);
    expect(run.ci).toEqual({ code: 0, line: '1 passed, 0 failed' });
  });
});
