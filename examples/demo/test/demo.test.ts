import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const DEMO_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Runs the compiled demo as `pnpm demo` does, and returns its exit code and summary line. */
function runDemo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string; summary: Record<string, unknown> | undefined }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DEMO_MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('{"event":"summary"'));
      resolve({ code, output, summary: line ? JSON.parse(line) : undefined });
    });
  });
}

describe('pnpm demo (service + outbox-relay sidecar killed part-way + consumer)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'demo');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('hands every committed payment to the consumer exactly once, in one trace from its request, and none of the rolled-back ones', { timeout: 120_000 }, async () => {
    const { code, output, summary } = await runDemo({
      DATABASE_URL: db.url,
      AWS_ENDPOINT_URL: inject('awsEndpoint'),
      DEMO_PAYMENTS: '40',
      DEMO_FAIL_EVERY: '5',
    });

    expect(summary, output).toBeDefined();
    expect(summary).toMatchObject({
      created: 40,
      committed: 32,
      rolledBack: 8,
      rolledBackLeftovers: 0,
      published: 32,
      handled: 32,
      lost: 0,
      phantom: 0,
      relayRestarts: 1,
      // One trace per committed payment from the HTTP request to the handler's insert, the relay's send
      // span linked; the rolled-back payments recorded their create span and nothing downstream.
      completeTraces: 32,
      rolledBackRelaySpans: 0,
      rolledBackTraced: 8,
      exitCodes: { 'outbox-relay-2': 0, 'payment-service': 0, 'notification-consumer': 0 },
      ok: true,
    });
    expect(summary!.delivered).toBe(32 + (summary!.duplicatesSuppressed as number) + (summary!.retried as number));
    expect(code, output).toBe(0);
  });
});
