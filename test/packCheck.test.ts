// The packed tarballs install, import, require, run and type-check in a fresh npm project
// (tools/pack-check/check.mjs does the work; this runs it as a user would, in a child process).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../tools/pack-check/check.mjs', import.meta.url));

const EXPECTED_CHECKS = ['pack', 'install', 'peers', 'single copy', 'esm', 'cjs', 'bin', 'types', 'sidecar'];

function runCheck(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [SCRIPT], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

describe('publishable packages', () => {
  it('pack, install with peers, import, require, run the bin and type-check in a fresh npm project', { timeout: 240_000 }, async () => {
    const { code, stdout, stderr } = await runCheck();
    const lines = stdout.split('\n');
    // The full output in the failure message says which check broke and why.
    expect(lines.filter((l) => l.startsWith('not ok')), stdout + stderr).toEqual([]);
    for (const check of EXPECTED_CHECKS) {
      expect(lines.some((l) => l.startsWith(`ok - ${check}:`)), `no "ok - ${check}:" line in\n${stdout}`).toBe(true);
    }
    expect(code, stdout + stderr).toBe(0);
  });
});
