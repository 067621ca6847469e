import { freePort, startPostgres, type RunningPostgres } from '@tx-outbox/devkit';

/**
 * A PostgreSQL that is not there yet: its URL is known now (a free port nothing listens on, so a client
 * gets ECONNREFUSED), and `start()` starts a fresh embedded server on that port. Always embedded, even
 * with DATABASE_URL set: the test must be able to have the database down.
 */
export async function postgresLater(): Promise<{ url: string; start(): Promise<RunningPostgres> }> {
  const port = await freePort();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    start: () => startPostgres({ forceEmbedded: true, port }),
  };
}

/** Captures what the process writes to stderr and stdout (Nest's logger) until `restore()`. */
export function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const originals = [process.stderr.write, process.stdout.write] as const;
  for (const stream of [process.stderr, process.stdout]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  }
  return {
    text: () => chunks.join(''),
    restore: () => {
      process.stderr.write = originals[0];
      process.stdout.write = originals[1];
    },
  };
}

/** Resolves once `condition()` holds, polling every 50 ms; rejects after `timeoutMs` naming `what`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
