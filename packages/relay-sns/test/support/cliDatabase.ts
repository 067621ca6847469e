// One database per CLI test file, a pool on it, and the outbox-relay processes a test started.
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import type { CliProcess } from './cliProcess.js';

export interface CliTestContext {
  db: TestDatabase;
  pool: pg.Pool;
  /** Processes to SIGKILL after each test if they are still running. */
  running: CliProcess[];
}

/** Registers the hooks: a fresh database before the file, leftover processes killed after each test. */
export function useCliDatabase(prefix: string): CliTestContext {
  const context = { running: [] } as unknown as CliTestContext;
  beforeAll(async () => {
    context.db = await createTestDatabase(inject('databaseUrl'), prefix);
    context.pool = new pg.Pool({ connectionString: context.db.url });
  });
  afterEach(async () => {
    for (const p of context.running.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
  });
  afterAll(async () => {
    await context.pool?.end();
    await context.db?.drop();
  });
  return context;
}
