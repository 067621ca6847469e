// Detached guard process: argv = parentPid pid dir. When the parent is gone (exited or SIGKILLed) it
// stops the server (the postmaster named in dir/postmaster.pid, else pid: a PostgreSQL or a PgBouncer)
// and deletes dir, so no test run or demo leaves an orphan server behind. Killed by the parent after a normal stop.
import { rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [parentPid, postmasterPid, databaseDir] = process.argv.slice(2);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const currentPostmaster = () => {
  try {
    return Number(readFileSync(join(databaseDir!, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return Number(postmasterPid);
  }
};
// A pid is reused once its process is gone (pid_max is 32,768 on this machine kind, and a full test run
// starts thousands of processes): only a server is signalled, never whatever holds its old pid now.
const isServer = (pid: number) => {
  try {
    return /postgres|pgbouncer/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return process.platform !== 'linux' && alive(pid);
  }
};
const timer = setInterval(() => {
  if (alive(Number(parentPid))) return;
  clearInterval(timer);
  const pid = currentPostmaster();
  try {
    if (isServer(pid)) process.kill(pid, 'SIGQUIT'); // immediate shutdown: the data is throwaway
  } catch {}
  const deadline = Date.now() + 10_000;
  const wait = setInterval(() => {
    if (isServer(pid) && Date.now() < deadline) return;
    clearInterval(wait);
    try {
      rmSync(databaseDir!, { recursive: true, force: true });
    } catch {}
    process.exit(0);
  }, 100);
}, 250);
