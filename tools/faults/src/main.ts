// `pnpm test:faults`: the fault-injection scenario of issue 8. Real processes (producer, relay
// sidecars, consumers), a real PostgreSQL and a real SNS/SQS endpoint; relays SIGKILLed and
// restarted, the endpoint stopped and started, PostgreSQL restarted, a consumer killed mid-handler,
// poison messages. Prints and asserts the counts; exit code 0 only when every assertion holds.
// `--small` (or FAULTS_SIZE=small) runs the CI variant.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createTestDatabase, startPostgres, startSilentProxy, startStandby, useLocalAwsDefaults } from '@tx-outbox/devkit';
import { BUSINESS_TABLES_DDL } from './businessTables.js';
import type { Cast } from './Cast.js';
import { CLOCK_SKEWS, observedClockSkews } from './clockSkew.js';
import { FaultsBroker } from './FaultsBroker.js';
import { EndpointProxy } from './EndpointProxy.js';
import { forbiddenEndpoint, ROUTE_BLOCKED_LOG } from './forbiddenEndpoint.js';
import { heldUpMs } from './heldUpMs.js';
import { brokerOutage, injectPoison, killConsumerMidHandler, killRelaysAtRandom, restartPostgres } from './faults.js';
import { databaseFailover } from './databaseFailover.js';
import { measured, MEASURED_FAULTS } from './measuredFault.js';
import { heldSnapshot } from './heldSnapshot.js';
import { readOnlyStandby } from './readOnlyStandby.js';
import { spawnConsumer, spawnProducer, spawnRelay, runMigrate, untilStarted } from './processes.js';
import { isDrained, readTally } from './readTally.js';
import { printSummary, summarize } from './report.js';
import { ORDER_SUBJECT, RETRY_DELAY_SECONDS } from './names.js';
import { rollingDeploy, UNROUTED_NEW_SUBJECT } from './rollingDeploy.js';
import { RunCounters } from './RunCounters.js';
import { scenarioFor, sizeFromArgs, type Scenario } from './scenario.js';
import { silentDatabase } from './silentDatabase.js';
import { slowHandlersBeyondLeases } from './slowHandlers.js';
import { Supervisor } from './Supervisor.js';
import { throttlingStorm } from './throttlingStorm.js';
import { wrongTopicArn, wrongTopicArnScenario } from './wrongTopicArn.js';
import { wrongRegionArn } from './wrongRegionArn.js';
import { credentialsRemoved, CREDENTIALS_ROUTE } from './credentialsRemoved.js';

const cleanups: Array<() => Promise<unknown>> = [];
let cleaning: Promise<void> | undefined;
/** Undoes everything in reverse order of setup: children, endpoint, pool, PostgreSQL, temp dir. */
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const undo of cleanups.reverse()) await undo().catch((error) => console.error('cleanup step failed:', error));
  })());

const t0 = Date.now();
let supervisorForLogs: Supervisor | undefined;
const say = (text: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${text}`);

async function main(): Promise<number> {
  const scenario = scenarioFor(sizeFromArgs(process.argv.slice(2), process.env));
  useLocalAwsDefaults();
  const tempDir = await mkdtemp(join(tmpdir(), 'tx-outbox-faults-'));
  cleanups.push(() => rm(tempDir, { recursive: true, force: true }));
  await mkdir(join(tempDir, 'logs'));
  const supervisor = new Supervisor(join(tempDir, 'logs'));
  supervisorForLogs = supervisor;

  // Its own PostgreSQL even when DATABASE_URL is set: the scenario restarts it and fails it over, to a
  // synchronous streaming standby (so a failover loses no commit, as such a setup promises).
  const postgres = await startPostgres({ forceEmbedded: true, settings: { synchronous_commit: 'on' } });
  cleanups.push(() => postgres.stop());
  const standby = await startStandby(postgres, { synchronous: true });
  cleanups.push(() => standby.stop());
  const admin = await createTestDatabase(postgres.url, 'faults');
  // The children connect as a role with a password found nowhere else, so any log line carrying it is a leak.
  const password = `faults-secret-${randomBytes(8).toString('hex')}`;
  const direct = new URL(await appRoleUrl(admin.url, password));
  // Everyone reaches PostgreSQL by a "name", a TCP proxy the failover moves as DNS would: the relays by
  // one the silent-database scenario silences (and read-only-standby points at the standby), the
  // producer, the consumers and this orchestrator by another.
  const primaryAddress = { host: direct.hostname, port: Number(direct.port) };
  const [databaseProxy, appProxy] = await Promise.all([startSilentProxy(primaryAddress), startSilentProxy(primaryAddress)]);
  cleanups.push(() => databaseProxy.close(), () => appProxy.close());
  const byName = (proxy: { port: number }) => Object.assign(new URL(direct), { hostname: '127.0.0.1', port: String(proxy.port) });
  const database = { url: byName(appProxy).toString() };
  const relayDatabaseUrl = byName(databaseProxy);
  const broker = await FaultsBroker.start(tempDir);
  cleanups.push(() => broker.close());
  const proxy = await EndpointProxy.start(broker.endpoint);
  cleanups.push(() => proxy.close());
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => {}); // idle clients die with the PostgreSQL restart; the next query reconnects
  cleanups.push(() => pool.end());
  cleanups.push(() => supervisor.killAll());
  say(`scenario ${scenario.size}: ${scenario.commits} commits, PostgreSQL ${postgres.url}, SNS/SQS ${broker.endpoint}`);

  if ((await runMigrate(supervisor, database.url)) !== 0) throw new Error('outbox-relay migrate failed; see its log');
  for (const statement of BUSINESS_TABLES_DDL) await pool.query(statement);

  const counters = new RunCounters();
  const relaySettings = { databaseUrl: relayDatabaseUrl.toString(), endpoint: proxy.endpoint, topicArn: broker.topicArn, clockSkewsMs: CLOCK_SKEWS };
  const consumerConfig = {
    databaseUrl: database.url,
    endpoint: broker.endpoint,
    queueUrl: broker.queueUrl,
    slowEvery: scenario.slowEvery,
    slowHandlerMs: scenario.slowHandlerMs,
    inboxLeaseMs: 10_000,
    visibilityTimeoutSeconds: 5,
    retryDelaySeconds: RETRY_DELAY_SECONDS,
  };
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
  const cast: Cast = {
    scenario,
    supervisor,
    counters,
    postgres,
    standby,
    broker,
    proxy,
    databaseProxy,
    appProxy,
    pool,
    relaySettings,
    consumerConfig,
    relays: new Map(names('relay', scenario.relays).map((n) => [n, spawnRelay(supervisor, n, relaySettings)])),
    consumers: new Map(names('consumer', scenario.consumers).map((n) => [n, spawnConsumer(supervisor, n, consumerConfig, counters)])),
    producer: spawnProducer(
      supervisor,
      {
        databaseUrl: database.url,
        commits: scenario.commits,
        rollbackRatio: scenario.rollbackRatio,
        intervalMs: scenario.produceMs / (scenario.commits / (1 - scenario.rollbackRatio)),
      },
      counters,
    ),
  };

  await runFaults(cast, scenario);
  recordClockSkew(cast);
  const lastFaultEnd = Math.max(...counters.faults.map((f) => f.endedAt));
  say('last fault over; waiting for the backlog to drain');
  const drainedAt = await waitForDrain(pool, lastFaultEnd + scenario.drainTimeoutMs);
  const drainAfterLastFaultMs = drainedAt === undefined ? null : Math.max(0, drainedAt - lastFaultEnd);
  say(drainedAt === undefined ? 'backlog NOT drained' : `drained ${(drainAfterLastFaultMs! / 1000).toFixed(1)} s after the last fault`);
  await sleep(2_000); // let late redeliveries arrive: they must be suppressed as duplicates

  const badShutdowns: string[] = [];
  await Promise.all([...cast.relays.values()].map(untilStarted)); // the last relay kill's restart may still boot
  await Promise.all(
    [...cast.relays, ...cast.consumers].map(async ([name, child]) => {
      const code = await supervisor.terminate(child, scenario.relayShutdownGraceMs);
      if (code !== 0) badShutdowns.push(`${name}: ${code}`);
    }),
  );
  const tally = await readTally(pool, counters.rolledBack, counters.failed);
  const passwordInLogs = await supervisor.linesContaining(password);
  // Which route each blocked-route line names tells the two scenarios apart: the right topic (403) or the wrong one.
  const blockedLines = await supervisor.linesContaining(ROUTE_BLOCKED_LOG);
  const routeBlockedLogLines = {
    'forbidden-endpoint': blockedLines.filter((l) => l.includes(broker.topicArn) && l.includes('"code":"HTTP 403"')).length,
    'wrong-region-arn': blockedLines.filter((l) => l.includes(broker.topicArn) && l.includes('"code":"InvalidParameter"')).length,
    'credentials-removed': blockedLines.filter((l) => l.includes(CREDENTIALS_ROUTE)).length,
    'wrong-topic-arn': blockedLines.filter((l) => l.includes(wrongTopicArn(broker.topicArn))).length,
    'rolling-deploy': blockedLines.filter((l) => l.includes(UNROUTED_NEW_SUBJECT)).length,
  };
  const heldUp: Record<string, number> = {};
  for (const fault of counters.faults.filter((f) => MEASURED_FAULTS.includes(f.kind))) heldUp[fault.kind] = await heldUpMs(pool, fault);
  // The rolling deploy holds back its new subject by design; the old subject is the healthy traffic.
  for (const fault of counters.faults.filter((f) => f.kind === 'rolling-deploy')) heldUp[`${fault.kind} (${ORDER_SUBJECT} only)`] = await heldUpMs(pool, fault, ORDER_SUBJECT);
  const summary = summarize({
    scenario,
    counters,
    tally,
    drainAfterLastFaultMs,
    unexpectedExits: supervisor.unexpectedExits,
    badShutdowns,
    passwordInLogs,
    routeBlockedLogLines,
    heldUpMs: heldUp,
    clockSkewSeenMs: await observedClockSkews(supervisor),
    sqsDeadLettered: await broker.deadLettered(),
  });
  printSummary(summary, counters, tally.failedThatCommitted);
  if (!summary.passed) await dumpLogs(supervisor);
  return summary.passed ? 0 : 1;
}

/**
 * The fault schedule, placed along the producer's progress (share of its commits done), so it lands
 * mid-stream however fast the machine is; relay kills run beside it until the producer is done.
 */
async function runFaults(cast: Cast, scenario: Scenario): Promise<void> {
  const { counters } = cast;
  const at = (fraction: number) => counters.until(() => counters.committed >= fraction * scenario.commits || counters.producerDone);
  const relayKills = killRelaysAtRandom(cast, () => cast.counters.producerDone);
  const step = async (fraction: number, label: string, fault: (cast: Cast) => Promise<void>) => {
    await at(fraction);
    say(`${label} (committed so far: ${cast.counters.committed})`);
    await fault(cast);
  };
  await step(0.15, 'poison messages', injectPoison);
  await step(0.3, `SNS/SQS endpoint outage, ${scenario.brokerOutageMs} ms`, measured(brokerOutage));
  await step(0.45, `rolling deploy: one relay routes a new subject, two old ones do not, ${scenario.rollingDeployMs} ms, then replaced one by one`, measured(rollingDeploy));
  await step(0.5, `relays' database connections silent, at least ${scenario.silentDatabaseMs} ms`, measured(silentDatabase));
  await step(0.55, 'PostgreSQL restart', measured(restartPostgres));
  await step(0.58, `relays' database name on the read-only standby, at least ${scenario.readOnlyStandbyMs} ms`, measured(readOnlyStandby));
  await step(0.6, `relays' endpoint answers 403 text/html, ${scenario.forbiddenMs} ms`, measured(forbiddenEndpoint));
  await step(0.64, `the order route gets SNS's answer to a topic of another region (400 InvalidParameter TopicArn), ${scenario.wrongRegionMs} ms`, measured(wrongRegionArn));
  await step(0.68, `relays' routes point at a wrong topic ARN, ${scenario.wrongTopicMs} ms, then fixed by a restart`, measured(wrongTopicArnScenario));
  await step(0.72, `relays' endpoint answers 400 Throttling, ${scenario.throttlingMs} ms`, measured(throttlingStorm));
  await step(0.73, `every relay call refused 403 InvalidClientTokenId (credentials removed), ${scenario.credentialsRemovedMs} ms, then restored`, measured(credentialsRemoved));
  await step(0.75, 'consumer SIGKILL mid-handler', killConsumerMidHandler);
  await step(0.78, 'database failover: primary stopped at once, standby promoted, names moved', measured(databaseFailover));
  await step(0.81, `a session holds a snapshot and a transaction id, idle in transaction, ${scenario.heldSnapshotMs} ms`, measured(heldSnapshot));
  await step(0.85, `handlers slower than the visibility timeout and the inbox lease, ${scenario.verySlowHandlerMs} ms`, slowHandlersBeyondLeases);
  // Past its `commits`, the producer keeps committing until here: the faults that need traffic found some.
  cast.producer.send('finish');
  await cast.counters.until(() => cast.counters.producerDone);
  say(`producer done: ${cast.counters.committed} committed, ${cast.counters.rolledBack.length} rolled back, ${cast.counters.failed.length} failed`);
  await relayKills;
}

/**
 * The clock-skew scenario (clockSkew.ts) runs all along; its record spans the throttling storm, the
 * transient broker fault whose retries a skewed relay would time wrong, for the held-up figure.
 */
function recordClockSkew(cast: Cast): void {
  const storm = cast.counters.faults.find((f) => f.kind === 'throttling-storm');
  if (!storm) return;
  const skews = Object.entries(CLOCK_SKEWS).map(([name, ms]) => `${name} ${ms > 0 ? '+' : ''}${ms / 60_000} min`).join(', ');
  cast.counters.faults.push({ kind: 'clock-skew', detail: `${skews} all run long; held up measured over the throttling storm`, startedAt: storm.startedAt, endedAt: storm.endedAt });
}

/** Creates the children's login role (hex password: no quoting issue) and returns `url` logged in as it. */
async function appRoleUrl(url: string, password: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE ROLE faults_app LOGIN SUPERUSER PASSWORD '${password}'`);
  } finally {
    await client.end();
  }
  const app = new URL(url);
  app.username = 'faults_app';
  app.password = password;
  return app.toString();
}

/** The end of every child's log, to see why a run failed (the temp dir is deleted afterwards). */
async function dumpLogs(supervisor: Supervisor): Promise<void> {
  const lines = Number(process.env.FAULTS_LOG_LINES ?? 15);
  for (const name of supervisor.logNames()) console.error(`\n--- last lines of ${name}'s log\n${await supervisor.tail(name, lines)}`);
}

/** Polls until everything committed is handled and nothing is pending; the time it happened, or undefined. */
async function waitForDrain(pool: pg.Pool, deadline: number): Promise<number | undefined> {
  while (Date.now() < deadline) {
    if (await isDrained(pool).catch(() => false)) return Date.now();
    await sleep(250);
  }
  return undefined;
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(code));
  });
}
let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error('fault-injection run failed:', error);
  if (supervisorForLogs) await dumpLogs(supervisorForLogs);
} finally {
  await cleanup();
}
process.exit(exitCode);
