/** The two sizes of the scenario: `full` for `pnpm test:faults`, `small` for CI. */
export type ScenarioSize = 'full' | 'small';

/** Everything that differs between the full run and the CI variant. Faults are the same kinds in both. */
export interface Scenario {
  size: ScenarioSize;
  /** Transactions the producer must commit (each one order row + one event); it keeps going until the last fault is placed. */
  commits: number;
  /** Share of the producer's transactions rolled back after `sendEvent`. */
  rollbackRatio: number;
  /** How long the producer spreads its transactions over, in ms. */
  produceMs: number;
  /** `outbox-relay run` sidecars running side by side. */
  relays: number;
  /** Consumer processes (one SQS queue, one inbox consumer name). */
  consumers: number;
  /** How long the SNS/SQS endpoint stays down. */
  brokerOutageMs: number;
  /** Mean pause between two relay SIGKILLs (each at a random moment around it). */
  relayKillEveryMs: number;
  /** One order in this many has a slow handler, so a consumer kill can land mid-handler. */
  slowEvery: number;
  /** How long a slow handler holds its transaction open. */
  slowHandlerMs: number;
  /** Give up waiting for the backlog after the last fault after this long. */
  drainTimeoutMs: number;
  /** Slow-handler scenario: handlers per consumer made slower than the visibility timeout and the inbox lease. */
  slowHandlers: number;
  /** How long those handlers take: above the 5 s visibility timeout and the 10 s inbox lease. */
  verySlowHandlerMs: number;
  /** Forbidden-endpoint scenario: how long the relays' endpoint answers 403 text/html. */
  forbiddenMs: number;
  /** Wrong-topic-arn scenario: how long the relays' routes point the order subject at a missing topic. */
  wrongTopicMs: number;
  /** Throttling-storm scenario: how long every call of the relays is answered `400 Throttling`. */
  throttlingMs: number;
  /** Rolling-deploy scenario: how long old relays (no route for the new subject) run beside a new one. */
  rollingDeployMs: number;
  /** Wrong-region-arn scenario: how long the order route's calls get SNS's answer to a topic of another region. */
  wrongRegionMs: number;
  /** Credentials-removed scenario: how long every call of the relays is refused 403 InvalidClientTokenId. */
  credentialsRemovedMs: number;
  /** Silent-database scenario: the least time the relays' database connections stay silent (longer if a relay's stop and start take longer). */
  silentDatabaseMs: number;
  /** Held-snapshot scenario: how long a session holds a snapshot and a transaction id, idle in transaction. */
  heldSnapshotMs: number;
  /** Read-only-standby scenario: the least time the relays' database name points at the standby. */
  readOnlyStandbyMs: number;
  /** How long a relay may take to exit after SIGTERM before it is SIGKILLed: its 30 s shutdown timeout and 5 s to spare. */
  relayShutdownGraceMs: number;
}

const SHARED = {
  rollbackRatio: 0.3,
  relays: 3,
  consumers: 2,
  slowEvery: 40,
  slowHandlerMs: 2_500,
  verySlowHandlerMs: 12_000,
  relayShutdownGraceMs: 35_000,
} as const;

/** The scenario of a size; `FAULTS_SIZE=small` or `--small` picks the CI variant. */
export function scenarioFor(size: ScenarioSize): Scenario {
  return size === 'full'
    ? { ...SHARED, size, commits: 5_000, produceMs: 75_000, brokerOutageMs: 5_000, relayKillEveryMs: 6_000, drainTimeoutMs: 180_000, slowHandlers: 3, forbiddenMs: 10_000, wrongTopicMs: 10_000, throttlingMs: 10_000, rollingDeployMs: 10_000, silentDatabaseMs: 15_000, readOnlyStandbyMs: 20_000, heldSnapshotMs: 20_000, wrongRegionMs: 10_000, credentialsRemovedMs: 10_000 }
    : { ...SHARED, size, commits: 600, produceMs: 24_000, brokerOutageMs: 3_000, relayKillEveryMs: 4_000, drainTimeoutMs: 90_000, slowHandlers: 1, forbiddenMs: 3_000, wrongTopicMs: 3_000, throttlingMs: 3_000, rollingDeployMs: 3_000, silentDatabaseMs: 8_000, readOnlyStandbyMs: 4_000, heldSnapshotMs: 5_000, wrongRegionMs: 3_000, credentialsRemovedMs: 3_000 };
}

/** Reads the size from `--small` / `--full` or `FAULTS_SIZE`. */
export function sizeFromArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ScenarioSize {
  if (argv.includes('--small')) return 'small';
  if (argv.includes('--full')) return 'full';
  const fromEnv = env.FAULTS_SIZE;
  if (fromEnv === undefined || fromEnv === '' || fromEnv === 'full') return 'full';
  if (fromEnv === 'small') return 'small';
  throw new Error(`FAULTS_SIZE must be "full" or "small", got ${JSON.stringify(fromEnv)}.`);
}
