// The packed tarballs install, import, require, run and type-check in a fresh npm project
// (tools/pack-check/check.mjs does the work; this runs it as a user would, in a child process).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../tools/devkit/dist/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../tools/pack-check/check.mjs', import.meta.url));

const EXPECTED_CHECKS = [
  'pack', 'install', 'peers', 'single copy', 'esm', 'cjs', 'bin', 'types',
  'types node16 (commonjs)', 'nest commonjs/node', 'nest nodenext (commonjs)', 'nest esm (nodenext)', 'no typeorm-transactional', 'sidecar',
];

// The Nest snippet runs against a database of its own.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'pack_check');
});
afterAll(async () => {
  await db?.drop();
});

function runCheck(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, DATABASE_URL: db.url };
    const child = execFile(process.execPath, [SCRIPT], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

describe('publishable packages', () => {
  it('pack, install with peers (typeorm@latest), import, require, run the bin, type-check, and compile and run the Nest snippet in three settings', { timeout: 600_000 }, async () => {
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
