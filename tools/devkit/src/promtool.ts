import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Installing Debian's prometheus package (which ships promtool) took 6 s here after `apt-get update`; allow for a slow mirror. */
const INSTALL_TIMEOUT_MS = 600_000;

function installed(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure `promtool` is on the PATH: installs Debian's `prometheus` package (no recommends; its
 * service is not started in a container without an init system) when missing and running as root.
 * @throws Error saying how to install it otherwise.
 */
export async function ensurePromtool(): Promise<void> {
  if (installed()) return;
  if (process.getuid?.() !== 0) {
    throw new Error('promtool is not installed: run `apt-get install -y --no-install-recommends prometheus` (Debian), or put promtool on the PATH.');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, timeout: INSTALL_TIMEOUT_MS });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], { env, timeout: INSTALL_TIMEOUT_MS });
  if (!installed()) throw new Error('apt-get installed prometheus but promtool is still not on the PATH.');
}

/** Runs `promtool args…` (stdin optional); resolves with its exit code and output, never rejects on a failed check. */
export function promtool(args: string[], options: { stdin?: string; cwd?: string } = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', args, { cwd: options.cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}
