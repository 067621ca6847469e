import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { embeddedBinaries } from './embeddedBinaries.js';
import { freePort } from './freePort.js';
import type { RunningPostgres } from './startPostgres.js';
import { takeBaseBackup } from './takeBaseBackup.js';

const run = promisify(execFile);

/** A hot standby streaming from a primary, as {@link startStandby} starts it. */
export interface RunningStandby {
  /** Admin URL of the standby's `postgres` database (read-only until promoted). */
  url: string;
  port: number;
  /** Its application name on the primary (`pg_stat_replication`), also its slot's name. */
  name: string;
  /**
   * `pg_ctl promote`: ends recovery; resolves once it takes writes. The primary should be gone first
   * (a failover), else there are two writers.
   */
  promote(): Promise<void>;
  /** Resolves once it has replayed all the WAL the primary had inserted when called (commits not yet flushed included). */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops it (fast shutdown) and deletes its data directory. */
  stop(): Promise<void>;
}

export interface StartStandbyOptions {
  /** Its name on the primary. @defaultValue `'standby'` */
  name?: string;
  /**
   * Make it the primary's synchronous standby (`synchronous_standby_names`), so a commit returns only
   * once the standby has it: a failover then loses no committed transaction. Needs a primary started
   * with `synchronous_commit` on (startPostgres's default is off). @defaultValue false
   */
  synchronous?: boolean;
}

/** Wait this long for the standby to stream, for a promote, and for a stop. */
const DEADLINE_MS = 60_000;

/**
 * A real streaming standby of `primary` (an embedded PostgreSQL this devkit started, so its data
 * directory is here): a base backup (takeBaseBackup.ts), `standby.signal` and `primary_conninfo`, then
 * the same `postgres` program with the same settings on a free port, as the `postgres` user when run
 * as root. Resolves once it streams (and, when synchronous, once the primary counts it as its
 * synchronous standby). A detached watchdog stops it if this process dies without calling `stop()`.
 */
export async function startStandby(primary: RunningPostgres, options: StartStandbyOptions = {}): Promise<RunningStandby> {
  if (!primary.dataDir || !primary.settings) throw new Error('startStandby needs a primary this devkit started (its data directory is copied)');
  const name = options.name ?? 'standby';
  const binaries = await embeddedBinaries();
  const dataDir = await mkdtemp(join(tmpdir(), 'tx-outbox-standby-'));
  await takeBaseBackup({ primaryUrl: primary.url, primaryDataDir: primary.dataDir, targetDir: dataDir, slot: name });
  const primaryUrl = new URL(primary.url);
  const conninfo = `host=${primaryUrl.hostname} port=${primaryUrl.port} user=${decodeURIComponent(primaryUrl.username)} password=${decodeURIComponent(primaryUrl.password)} application_name=${name}`;
  await writeFile(join(dataDir, 'standby.signal'), '');
  // A standby copied after the primary named its synchronous standby must not wait for one itself once promoted.
  await appendFile(join(dataDir, 'postgresql.auto.conf'), `\nprimary_conninfo = '${conninfo}'\nprimary_slot_name = '${name}'\nsynchronous_standby_names = ''\n`);
  const asPostgres = await postgresUser();
  if (asPostgres) await run('chown', ['-R', `${asPostgres.uid}:${asPostgres.gid}`, dataDir]);

  const port = await freePort();
  const logFile = join(dataDir, 'standby.log');
  const log = openSync(logFile, 'a');
  // wal_retrieve_retry_interval: after the primary restarts, stream again within a fifth of a second (5 s by
  // default), so a synchronous primary's commits do not wait seconds for it.
  const settings = { ...primary.settings, wal_retrieve_retry_interval: '200ms' };
  const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(binaries.postgres, args, { stdio: ['ignore', log, log], ...asPostgres });
  closeSync(log);
  child.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const watchdog = spawn(process.execPath, [fileURLToPath(new URL('./watchdog.js', import.meta.url)), String(process.pid), String(child.pid), dataDir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();

  const url = `postgres://${primaryUrl.username}:${primaryUrl.password}@127.0.0.1:${port}/postgres`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // fast shutdown
      const timer = setTimeout(() => child.kill('SIGQUIT'), DEADLINE_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
    watchdog.kill();
  };
  const failed = async (what: string, error: unknown): Promise<never> => {
    const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
    await stop();
    throw new Error(`standby ${name} ${what}: ${(error as Error).message}\n${tail}`);
  };
  await untilTrue(url, `SELECT status = 'streaming' AS ok FROM pg_stat_wal_receiver`, exited).catch((error) => failed('did not stream', error));
  if (options.synchronous) {
    await withClient(primary.url, async (c) => {
      await c.query(`ALTER SYSTEM SET synchronous_standby_names = '"${name}"'`);
      await c.query('SELECT pg_reload_conf()');
    });
    // $1 application name
    await untilTrue(primary.url, `SELECT coalesce(bool_or(sync_state = 'sync'), false) AS ok FROM pg_stat_replication WHERE application_name = '${name}'`, exited).catch((error) =>
      failed('did not become synchronous', error),
    );
  }

  return {
    url,
    port,
    name,
    async promote() {
      await run(binaries.pg_ctl, ['promote', '-D', dataDir, '-w', '-t', String(DEADLINE_MS / 1000)], asPostgres ?? {}).catch((error) => failed('promote failed', error));
      await untilTrue(url, 'SELECT NOT pg_is_in_recovery() AS ok', exited).catch((error) => failed('did not leave recovery', error));
    },
    async caughtUp(timeoutMs = DEADLINE_MS) {
      const lsn = await withClient(primary.url, async (c) => (await c.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]!.lsn);
      // $1 pg_lsn the primary had written
      await untilTrue(url, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS ok`, exited, timeoutMs);
    },
    stop,
  };
}

/** The `postgres` OS user's ids when this process is root (the server refuses to run as root), else undefined. */
async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Polls `sql` (one row with a boolean `ok`) on `url` until it is true; rejects at the deadline or if the server exits. */
async function untilTrue(url: string, sql: string, exited: Promise<void>, timeoutMs = DEADLINE_MS): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'not yet';
  while (Date.now() < deadline && !gone) {
    try {
      if (await withClient(url, async (c) => (await c.query<{ ok: boolean }>(sql)).rows[0]?.ok === true)) return;
    } catch (error) {
      last = (error as Error).message; // starting up, or not streaming yet
    }
    await sleep(100);
  }
  throw new Error(gone ? 'the server exited' : `not within ${timeoutMs} ms (last: ${String(last)})`);
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
