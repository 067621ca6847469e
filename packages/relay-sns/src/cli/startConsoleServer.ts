import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BlockedRoute } from '@tx-outbox/outbox-core';
import type { PgQueryable } from '@tx-outbox/outbox-typeorm/postgres';
import { createOutboxConsoleHandler } from '../console/createOutboxConsoleHandler.js';
import type { ConsoleToken } from '../console/consoleAuth.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import { ConfigError } from './ConfigError.js';
import type { RelayCliConfig } from './configSpec.js';
import type { Logger } from './logger.js';
import { parseConsoleTokens } from './parseConsoleTokens.js';

/** Whether an address is this machine's own: only such a bind may go without tokens. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The console's access rules, checked before anything starts (exit 2 naming the variable): a bind
 * that is not loopback needs tokens; so do writes.
 * @throws ConfigError
 */
export function checkConsoleAccess(config: RelayCliConfig): ConsoleToken[] {
  const tokens = parseConsoleTokens(config.consoleTokens);
  if (tokens.length === 0 && !isLoopback(config.consoleHost)) {
    throw new ConfigError('OUTBOX_CONSOLE_TOKENS', `OUTBOX_CONSOLE_TOKENS (--console-tokens) is required when the console binds to ${JSON.stringify(config.consoleHost)} (OUTBOX_CONSOLE_HOST), which is not a loopback address: anyone who reaches it could read every payload.`);
  }
  if (tokens.length === 0 && config.consoleWrites) {
    throw new ConfigError('OUTBOX_CONSOLE_TOKENS', 'OUTBOX_CONSOLE_TOKENS (--console-tokens) is required with OUTBOX_CONSOLE_WRITES=true: every action is done, and logged, by a named operator.');
  }
  return tokens;
}

/** What the sidecar gives the console besides its configuration. */
export interface ConsoleServerParts {
  pool: PgQueryable;
  tokens: readonly ConsoleToken[];
  logger: Logger;
  /** Where the console's action counters go (the sidecar's registry). */
  registry?: MetricsRegistry;
  /** Extra requests answered before the console (the standalone console's `/metrics`). */
  before?: (path: string) => ((res: import('node:http').ServerResponse) => void) | undefined;
  blockedRoutes?: () => readonly BlockedRoute[];
  routeOf?: (subject: string) => string | undefined;
}

/**
 * Listens on the console's host and port; once the port is known, serves the console there. A
 * loopback bind answers only to loopback host names (a page elsewhere cannot rebind a name to it).
 */
export async function startConsoleServer(config: RelayCliConfig, parts: ConsoleServerParts): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.consolePort, config.consoleHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const allowedHosts = isLoopback(config.consoleHost) ? ['127.0.0.1', 'localhost', '[::1]', config.consoleHost].map((h) => `${h}:${port}`) : undefined;
  const handler = createOutboxConsoleHandler({
    pool: parts.pool,
    tableName: config.table,
    schema: config.schema,
    basePath: config.consoleBasePath,
    writes: config.consoleWrites,
    tokens: parts.tokens,
    allowedHosts,
    confirmAbove: config.confirmAbove,
    blockedRoutes: parts.blockedRoutes,
    routeOf: parts.routeOf,
    logger: parts.logger,
    registry: parts.registry,
  });
  server.on('request', (req, res) => {
    const extra = parts.before?.((req.url ?? '/').split('?')[0]!);
    if (extra && (req.method === 'GET' || req.method === 'HEAD')) return extra(res);
    void handler(req, res);
  });
  return { server, port };
}
