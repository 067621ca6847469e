/** Settings of the demo, from the environment. */
export interface DemoConfig {
  /** DEMO_PAYMENTS: payments to create. @defaultValue 300 */
  payments: number;
  /** DEMO_FAIL_EVERY: every n-th payment fails after sendEvent and rolls back. @defaultValue 5 (20 %) */
  failEvery: number;
  /** DEMO_CONCURRENCY: HTTP requests in flight. @defaultValue 8 */
  concurrency: number;
  /** DEMO_TIMEOUT_MS: how long to wait for the consumer to catch up after the last request. @defaultValue 60000 */
  timeoutMs: number;
}

export function demoConfigFromEnv(env: NodeJS.ProcessEnv): DemoConfig {
  return {
    payments: positiveInteger(env, 'DEMO_PAYMENTS', 300),
    failEvery: positiveInteger(env, 'DEMO_FAIL_EVERY', 5),
    concurrency: positiveInteger(env, 'DEMO_CONCURRENCY', 8),
    timeoutMs: positiveInteger(env, 'DEMO_TIMEOUT_MS', 60_000),
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}
