import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startBroker, startPostgres } from '@tx-outbox/devkit';
import { CONSUMER_NAME } from '@tx-outbox/example-notification-consumer';
import pg from 'pg';
import { startChild, type ChildService } from './ChildService.js';
import type { CleanupStack } from './CleanupStack.js';
import { createPayments, type PaymentTally } from './createPayments.js';
import { createTopology } from './createTopology.js';
import type { DemoConfig } from './DemoConfig.js';
import { countLost, countNotifications, countPublished, countRolledBackLeftovers, readConsumerStats, type ConsumerStats } from './demoQueries.js';
import { summaryIsOk, type DemoSummary } from './DemoSummary.js';
import { checkTraces, readSpans } from './tracing/checkTraces.js';

const packageDir = (name: string) => dirname(fileURLToPath(import.meta.resolve(`${name}/package.json`)));
const RELAY_BIN = join(packageDir('@tx-outbox/outbox-relay'), 'bin', 'outbox-relay.js');
const SERVICE_MAIN = join(packageDir('@tx-outbox/example-payment-service'), 'dist', 'main.js');
const CONSUMER_MAIN = join(packageDir('@tx-outbox/example-notification-consumer'), 'dist', 'main.js');
/** Preloaded into every child: a real OpenTelemetry SDK writing its spans to one file. */
const TRACING_PRELOAD = pathToFileURL(fileURLToPath(new URL('./tracing/registerTracing.js', import.meta.url))).href;

/** Lease of the relays: short, so the relay started after the SIGKILL takes the dead one's claims over quickly. */
const RELAY_LEASE_MS = '3000';

/** Runs the whole demo; every resource it starts is registered on `cleanup`. */
export async function runDemo(config: DemoConfig, cleanup: CleanupStack, log: (line: string) => void): Promise<DemoSummary> {
  const workDir = await mkdtemp(join(tmpdir(), 'tx-outbox-demo-'));
  cleanup.add('remove temp dir', () => rm(workDir, { recursive: true, force: true }));
  // A signal can end the process before the cleanup above has run: remove the directory on any exit too.
  process.once('exit', () => rmSync(workDir, { recursive: true, force: true }));
  const postgres = await startPostgres();
  cleanup.add('stop PostgreSQL', () => postgres.stop());
  log(postgres.owned ? 'started embedded PostgreSQL' : 'using the PostgreSQL at DATABASE_URL');
  const broker = await startBroker({ ownProcess: true });
  cleanup.add('stop SNS/SQS endpoint', () => broker.stop());
  log(broker.owned ? `started local SNS/SQS endpoint at ${broker.endpoint}` : `using the SNS/SQS endpoint at ${broker.endpoint}`);

  const spansFile = join(workDir, 'spans.jsonl');
  const env = {
    ...process.env,
    DATABASE_URL: postgres.url,
    AWS_ENDPOINT_URL: broker.endpoint,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${TRACING_PRELOAD}`.trim(),
    OTEL_SPANS_FILE: spansFile,
  };
  const logFile = (name: string) => join(workDir, `${name}.log`);
  const db = new pg.Pool({ connectionString: postgres.url, max: 2 });
  // An idle client losing its connection (PostgreSQL stopping during cleanup) must not crash the demo.
  db.on('error', () => undefined);
  cleanup.add('close demo pool', () => db.end());

  const { child: migrate } = await startChild({ name: 'outbox-relay migrate', script: RELAY_BIN, args: ['migrate'], env, logFile: logFile('migrate') });
  if ((await migrate.exited) !== 0) throw new Error(`outbox-relay migrate failed (log: ${migrate.logFile})`);
  log('outbox-relay migrate: outbox and inbox tables ready');
  const topology = await createTopology(broker.endpoint, randomBytes(4).toString('hex'));
  if (!broker.owned) cleanup.add('delete topic and queue', () => topology.remove());
  log(`created topic, queue and raw-delivery subscription`);

  const stopOnExit = (child: ChildService) => cleanup.add(`stop ${child.name}`, () => child.stop());
  const service = await startChild({
    name: 'payment-service', script: SERVICE_MAIN, env: { ...env, PORT: '0', OTEL_SERVICE_NAME: 'payment-service' }, logFile: logFile('payment-service'),
    readyWhen: (line) => line.event === 'listening',
  });
  stopOnExit(service.child);
  const baseUrl = `http://127.0.0.1:${service.ready.port}`;
  log(`payment-service listening on ${baseUrl} (pid ${service.child.process.pid})`);
  const consumer = await startChild({
    name: 'notification-consumer', script: CONSUMER_MAIN, env: { ...env, QUEUE_URL: topology.queueUrl, OTEL_SERVICE_NAME: 'notification-consumer' }, logFile: logFile('notification-consumer'),
    readyWhen: (line) => line.event === 'consuming',
  });
  stopOnExit(consumer.child);
  log(`notification-consumer consuming (pid ${consumer.child.process.pid})`);
  const startRelay = async (n: number) => {
    const { child } = await startChild({
      name: `outbox-relay-${n}`, script: RELAY_BIN, args: ['run'], logFile: logFile(`outbox-relay-${n}`),
      env: { ...env, OUTBOX_ROUTES: `payment.*=${topology.topicArn}`, OUTBOX_HTTP_PORT: '0', OUTBOX_LEASE_MS: RELAY_LEASE_MS, OTEL_SERVICE_NAME: `outbox-relay-${n}` },
      readyWhen: (line) => line.msg === 'outbox-relay started',
    });
    stopOnExit(child);
    log(`outbox-relay #${n} started (pid ${child.process.pid})`);
    return child;
  };
  let relay = await startRelay(1);
  const statsBefore = await readConsumerStats(db, CONSUMER_NAME);

  // Load, with the relay SIGKILLed a third of the way in and a new one started at once.
  const tally: PaymentTally = { created: 0, committed: [], rolledBack: [], traceOf: new Map() };
  const killAt = Math.max(1, Math.floor(config.payments / 3));
  let restarted: Promise<ChildService> | undefined;
  const progress = startProgress(db, tally, config.payments, log);
  try {
    log(`creating ${config.payments} payments, every ${config.failEvery}th one failing after sendEvent`);
    await createPayments({
      baseUrl, count: config.payments, failEvery: config.failEvery, concurrency: config.concurrency,
      onAnswer: (t) => {
        if (t.created !== killAt || restarted) return;
        log(`SIGKILL outbox-relay #1 (pid ${relay.process.pid}) after ${t.created} payments; starting #2`);
        relay.process.kill('SIGKILL');
        restarted = relay.exited.then(() => startRelay(2));
      },
    }, tally);
    if (restarted) relay = await restarted;
    await waitForConsumer(db, tally, config.timeoutMs);
  } finally {
    progress.stop();
  }

  const exitCodes: Record<string, number | null> = {};
  for (const child of [relay, service.child, consumer.child]) exitCodes[child.name] = await child.stop('SIGTERM');
  const stats = diffStats(await readConsumerStats(db, CONSUMER_NAME), statsBefore);
  const traces = checkTraces(await readSpans(spansFile), tally.traceOf, tally.committed, tally.rolledBack);
  if (traces.example) log(traces.example);
  const summary: Omit<DemoSummary, 'ok'> = {
    created: tally.created,
    committed: tally.committed.length,
    rolledBack: tally.rolledBack.length,
    rolledBackLeftovers: await countRolledBackLeftovers(db, tally.rolledBack),
    published: await countPublished(db, tally.committed),
    delivered: stats.deliveries,
    handled: await countNotifications(db, tally.committed),
    duplicatesSuppressed: stats.duplicates,
    retried: stats.failed,
    lost: await countLost(db, tally.committed),
    phantom: await countNotifications(db, tally.rolledBack),
    relayRestarts: restarted ? 1 : 0,
    completeTraces: traces.complete,
    rolledBackRelaySpans: traces.rolledBackSpans,
    rolledBackTraced: traces.rolledBackCreated,
    exitCodes,
  };
  return { ...summary, ok: summaryIsOk(summary) };
}

/** Prints created / committed / published / handled every second. */
function startProgress(db: pg.Pool, tally: PaymentTally, total: number, log: (line: string) => void) {
  const started = Date.now();
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const [published, handled] = await Promise.all([countPublished(db, tally.committed), countNotifications(db, tally.committed)]);
      const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(3);
      log(`${seconds}s  created ${tally.created}/${total}  committed ${tally.committed.length}  rolled back ${tally.rolledBack.length}  published ${published}  handled ${handled}`);
    } catch {
      // a progress line is best effort
    } finally {
      busy = false;
    }
  }, 1000);
  return { stop: () => clearInterval(timer) };
}

/**
 * Waits until every committed payment is published and handled, then until the consumer's counters
 * stay still for a moment (late duplicates from the republished claims of the killed relay).
 * @throws Error after `timeoutMs`.
 */
async function waitForConsumer(db: pg.Pool, tally: PaymentTally, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const committed = tally.committed.length;
  let lastDeliveries = -1;
  let stillFor = 0;
  while (Date.now() < deadline) {
    const [published, handled, stats] = await Promise.all([
      countPublished(db, tally.committed),
      countNotifications(db, tally.committed),
      readConsumerStats(db, CONSUMER_NAME),
    ]);
    const caughtUp = published >= committed && handled >= committed;
    stillFor = caughtUp && stats.deliveries === lastDeliveries ? stillFor + 1 : 0;
    lastDeliveries = stats.deliveries;
    if (stillFor >= 4) return;
    await sleep(250);
  }
  const [published, handled] = await Promise.all([countPublished(db, tally.committed), countNotifications(db, tally.committed)]);
  throw new Error(`the consumer did not catch up within ${timeoutMs} ms: committed ${committed}, published ${published}, handled ${handled}`);
}

function diffStats(after: ConsumerStats, before: ConsumerStats): ConsumerStats {
  return {
    deliveries: after.deliveries - before.deliveries,
    processed: after.processed - before.processed,
    duplicates: after.duplicates - before.duplicates,
    failed: after.failed - before.failed,
  };
}
