import { loadPromClient } from '../../metrics/loadPromClient.js';
import type { RelayCliConfig } from '../configSpec.js';
import { createPool } from '../createPool.js';
import type { Logger } from '../logger.js';
import { checkConsoleAccess, startConsoleServer } from '../startConsoleServer.js';

/** Connections the console holds at most: a page runs a few reads at once. */
export const CONSOLE_POOL_SIZE = 4;

/**
 * `outbox-relay console`: the operator console on its own, until SIGTERM/SIGINT. There is no relay in
 * this process, so blocked routes show only as waiting messages whose last error is the route's (the
 * overview's "Blocked routes and backing off" table). `/metrics` counts its actions.
 */
export async function consoleCommand(config: RelayCliConfig, logger: Logger, signals: NodeJS.EventEmitter = process): Promise<number> {
  const tokens = checkConsoleAccess(config);
  const { Registry } = loadPromClient();
  const registry = new Registry();
  const pool = createPool(config.databaseUrl, CONSOLE_POOL_SIZE, logger);
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  for (const name of ['SIGTERM', 'SIGINT'] as const) signals.once(name, () => stop(name));
  try {
    const { server, port } = await startConsoleServer(config, {
      pool,
      tokens,
      logger,
      registry,
      before: (path) =>
        path === '/metrics'
          ? (res) => void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
          : undefined,
    });
    logger.info('outbox console listening', { host: config.consoleHost, port, basePath: config.consoleBasePath, writes: config.consoleWrites, signIn: tokens.length > 0 ? 'tokens' : 'none (loopback, read-only)' });
    const signal = await stopped;
    logger.info('stopping the console', { signal });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    return 0;
  } finally {
    await pool.end();
  }
}
