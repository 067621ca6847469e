// pg 8 warns "Calling client.query() when the client is already executing a query" (a
// DeprecationWarning; pg 9 drops the queue) when one client gets a second query before the first is
// answered. The library's PostgreSQL paths run in a child process started with --throw-deprecation on
// a small pool, so such an overlap anywhere fails this test (see fixtures/sharedConnectionsProcess.mjs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';

const script = fileURLToPath(new URL('./fixtures/sharedConnectionsProcess.mjs', import.meta.url));
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'shared_connections');
});
afterAll(async () => {
  await db?.drop();
});

it('publisher, relay, LISTEN and inbox never send a query to a pg client that is still executing one', { timeout: 90_000 }, async () => {
  const child = spawn(process.execPath, ['--throw-deprecation', script], {
    env: { ...process.env, DATABASE_URL: db.url, ROUNDS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  expect(stderr).not.toMatch(/DeprecationWarning|already executing a query/);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(stdout)).toEqual({ ok: true, published: 100 });
});
