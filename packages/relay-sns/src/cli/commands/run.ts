import { Relay, type Transport } from '@tx-outbox/outbox-core';
import { STORE_ERROR_BACKOFF } from '@tx-outbox/outbox-core/internal';
import { RelayReadiness } from '../../health/RelayReadiness.js';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import { OutboxMaintenance } from '@tx-outbox/outbox-typeorm/internal';
import { SnsTransport } from '../../sns/SnsTransport.js';
import { SqsTransport } from '../../sqs/SqsTransport.js';
import type { RelayCliConfig } from '../configSpec.js';
import { createPool } from '../createPool.js';
import type { Logger } from '../logger.js';
import { parseRoutes } from '../parseRoutes.js';
import { createSidecarMetrics } from '../SidecarMetrics.js';
import { routesToTarget } from '../routesToTarget.js';
import { startHttpServer } from '../startHttpServer.js';
import { checkTargets } from '../checkTargets.js';
import { claimCheckFromConfig } from '../claimCheckFromConfig.js';
import { outboxTableProblem } from '../outboxTableProblem.js';
import { startInboxRetention } from '../startInboxRetention.js';
import { startMaintenance } from '../startMaintenance.js';
import { checkConsoleAccess, startConsoleServer } from '../startConsoleServer.js';
import { CONSOLE_POOL_SIZE } from './console.js';
import { waitForStopSignal } from '../waitForStopSignal.js';

const STATS_INTERVAL_MS = 5_000;
/** The longest backoff after a failed claim, jitter included. */
const STORE_ERROR_BACKOFF_MAX_MS = STORE_ERROR_BACKOFF.maxIntervalMs * (1 + STORE_ERROR_BACKOFF.jitter);

/**
 * The sidecar: relays until SIGTERM/SIGINT, then stops claiming, finishes and marks the batches in
 * flight, and resolves with exit code 0. A database that is down at start or goes away later only
 * delays publishing: the relay retries on a short cadence, and /readyz reports 503 meanwhile (so it
 * does while the database is a standby or read-only: RelayReadiness.ts).
 */
export async function run(config: RelayCliConfig, logger: Logger, signals: NodeJS.EventEmitter = process): Promise<number> {
  // Listen for signals before anything else, so a SIGTERM during startup still drains and exits 0.
  const stopRequested = waitForStopSignal(signals, logger);
  const rules = checkTargets(parseRoutes(config.routes!), config.transport);
  const route = routesToTarget(rules);
  const claimCheck = claimCheckFromConfig(config, rules);
  const consoleTokens = config.console ? checkConsoleAccess(config) : [];
  const pool = createPool(config.databaseUrl, config.maxInFlight + 3, logger, { storeTimeoutMs: config.storeTimeoutMs });
  // LISTEN may need a connection of its own: a transaction-mode pooler drops notifications.
  const listenPool = config.listenDatabaseUrl === undefined ? undefined : createPool(config.listenDatabaseUrl, 1, logger, { storeTimeoutMs: config.storeTimeoutMs });
  const store = new PostgresOutboxStore({
    pool,
    listenPool,
    tableName: config.table,
    schema: config.schema,
    onListenError: (error) => logger.warn('LISTEN connection lost; polling until it is back', { error }),
  });
  const aws = { region: config.region, endpoint: config.endpoint, concurrency: config.publishConcurrency, maxMessageBytes: config.maxMessageBytes, claimCheck, routesSetting: 'OUTBOX_ROUTES' };
  const transport: Transport =
    config.transport === 'sns' ? new SnsTransport({ ...aws, routes: route }) : new SqsTransport({ ...aws, routes: route });
  const relay = new Relay({
    store,
    transport,
    batchSize: config.batchSize,
    maxInFlight: config.maxInFlight,
    pollIntervalMs: config.pollIntervalMs,
    leaseMs: config.leaseMs,
    storeTimeoutMs: config.storeTimeoutMs,
    ordered: config.ordered,
    statsIntervalMs: STATS_INTERVAL_MS,
    retry: {
      maxAttempts: config.maxAttempts,
      initialIntervalMs: config.retryInitialMs,
      backoffCoefficient: config.retryCoefficient,
      maxIntervalMs: config.retryMaxMs,
      jitter: config.retryJitter,
    },
    logger: { debug: logger.debug, info: logger.info, warn: logger.warn, error: logger.error },
  });

  const metrics = createSidecarMetrics(relay, route);
  const readiness = new RelayReadiness(relay, store, { timeoutMs: config.storeTimeoutMs });
  let published = 0;
  relay.on('batch:published', (b) => {
    published += b.sent;
    logger.debug('batch published', b);
  });
  relay.on('message:failed', ({ message, error, willRetry, availableAt, blockedRoute }) => {
    const context = { messageId: message.id, subject: message.subject, attempts: message.attempts, error, willRetry, availableAt };
    // A blocked route is logged once by route:blocked; one warning per waiting message would bury it.
    if (blockedRoute !== undefined) logger.debug('message waits for its blocked route', { ...context, route: blockedRoute });
    else logger.warn('publish failed', context);
  });
  relay.on('message:dead', ({ message, error }) =>
    logger.error('message dead-lettered', { messageId: message.id, subject: message.subject, attempts: message.attempts, error }),
  );
  relay.on('route:blocked', ({ route, error, code, retryInMs }) => logger.warn('route blocked; its messages wait', { route, error, code, retryInMs }));
  relay.on('route:unblocked', ({ route, blockedMs, reason }) => logger.info('route unblocked', { route, blockedMs, reason }));
  // relay:error is not logged here: the relay logs each failure itself, once (through this logger).

  // Liveness is progress: a claim that returned, or failed, within the loop's deadlines. A loop stuck on
  // a database that never answers (the store's deadline should prevent it) turns /healthz failing so
  // the supervisor restarts the sidecar.
  let lastLoopTurnAt = Date.now();
  const loopTurned = (): void => void (lastLoopTurnAt = Date.now());
  relay.on('batch:claimed', loopTurned);
  relay.on('relay:error', ({ stage }) => void (stage === 'claim' && loopTurned()));
  const stuckAfterMs = 3 * (config.pollIntervalMs + config.storeTimeoutMs) + STORE_ERROR_BACKOFF_MAX_MS;
  const http = await startHttpServer(config.httpHost, config.httpPort, {
    healthy: () => relay.running && Date.now() - lastLoopTurnAt < stuckAfterMs,
    // A blocked route is shown, not made a readiness failure: taking the pod out of service would stop
    // the healthy routes' traffic too (the sidecar shares its pod with the service).
    readiness: () => readiness.read(),
    metrics: async () => ({ text: await metrics.render(), contentType: metrics.contentType }),
  });
  logger.info('outbox-relay listening', { host: config.httpHost, port: http.port, endpoints: ['/healthz', '/readyz', '/metrics'] });
  // The console has its own port and pool: its pages never take a connection the relay claims with.
  const consolePool = config.console ? createPool(config.databaseUrl, CONSOLE_POOL_SIZE, logger) : undefined;
  const consoleServer = consolePool
    ? await startConsoleServer(config, { pool: consolePool, tokens: consoleTokens, logger, registry: metrics.registry, blockedRoutes: () => relay.blockedRoutes, routeOf: route })
    : undefined;
  if (consoleServer) logger.info('outbox console listening', { host: config.consoleHost, port: consoleServer.port, basePath: config.consoleBasePath, writes: config.consoleWrites, signIn: consoleTokens.length > 0 ? 'tokens' : 'none (loopback, read-only)' });

  // A first look tells the operator at once whether the database answers and holds a usable table;
  // neither stops the relay: the database may be starting, and the app may run the migration on its start.
  const problem = await outboxTableProblem(pool, config).catch((error: unknown) => void logger.warn('database not reachable yet; will keep retrying', { error }));
  if (problem) logger.error(`${problem.message} The relay keeps trying meanwhile; /readyz reports it.`, { table: problem.table, problem: problem.problem });
  await relay.start();
  readiness.start();
  logger.info('outbox-relay started', {
    relayId: relay.relayId,
    transport: config.transport,
    table: config.table,
    schema: config.schema ?? null,
    ordered: config.ordered,
    batchSize: config.batchSize,
    maxInFlight: config.maxInFlight,
    maxMessageBytes: config.maxMessageBytes ?? 'each route\'s own',
    claimCheck: claimCheck ? { bucket: claimCheck.bucket, keyPrefix: claimCheck.keyPrefix, targets: claimCheck.targets } : null,
  });

  const maintenance = new OutboxMaintenance({ pool, tableName: config.table, schema: config.schema });
  const retention = startMaintenance(maintenance, config.retentionIntervalMs, metrics, logger);
  const inboxRetention = startInboxRetention(pool, config, metrics, logger);

  const signal = await stopRequested;
  logger.info('stopping: finishing in-flight batches', { signal });
  readiness.stop();
  retention.stop();
  await inboxRetention.stop();
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([
    relay.stop().then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), config.shutdownTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (!stopped) logger.warn('shutdown timeout: exiting with batches still in flight; their leases will expire and another relay republishes them');
  for (const server of [http.server, consoleServer?.server]) {
    if (!server) continue;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  // pool.end() waits for every checked-out client, and after a timeout some never come back.
  if (stopped) await Promise.all([pool.end(), listenPool?.end(), consolePool?.end()]).catch(() => {});
  logger.info('stopped', { relayId: relay.relayId, published });
  return 0;
}
