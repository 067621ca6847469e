import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { reportLeftovers, trackDatabase } from './leakGuard.js';

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  /**
   * Drops the database. Sessions still connected to it are a leak (a pool, client, data source or
   * process the test did not close): they are waited for briefly, then the database is dropped anyway
   * and they are reported to the leak guard, which fails the test file naming them.
   */
  drop(): Promise<void>;
}

/**
 * How long drop() waits for sessions that are closing: a backend exits shortly after its client, and
 * PgBouncer closes its idle server connections after `server_idle_timeout` (1 s in startPgBouncer).
 */
const SESSION_GRACE_MS = 5_000;

/**
 * Creates an empty database on the server at `adminUrl`, so each test file sees only its own rows.
 */
export async function createTestDatabase(adminUrl: string, prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  trackDatabase(name, false);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const sessions = await withClient(adminUrl, async (c) => {
        const open = await openSessions(c, name);
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        return open;
      });
      trackDatabase(name, true);
      reportLeftovers(sessions.map((s) => `database session on ${name}: ${s}`));
    },
  };
}

/** Sessions connected to `database`, after waiting up to SESSION_GRACE_MS for closing ones to go. */
async function openSessions(client: pg.Client, database: string): Promise<string[]> {
  const deadline = Date.now() + SESSION_GRACE_MS;
  for (;;) {
    const { rows } = await client.query<{ pid: number; application_name: string; state: string | null; query: string }>(
      `SELECT pid, application_name, state, query FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    if (rows.length === 0 || Date.now() >= deadline) {
      return rows.map(
        (r) => `pid ${r.pid}${r.application_name ? ` application_name "${r.application_name}"` : ''}, ${r.state ?? 'unknown state'}, last query: ${r.query.replace(/\s+/g, ' ').trim().slice(0, 120) || '(none)'}`,
      );
    }
    await sleep(100);
  }
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
