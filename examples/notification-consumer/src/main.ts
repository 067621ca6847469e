// node dist/main.js — env DATABASE_URL, QUEUE_URL (required), AWS_ENDPOINT_URL, AWS_REGION (optional).
// Prints {"event":"consuming"} once started; exits 0 on SIGTERM/SIGINT after the running handlers finish.
import 'reflect-metadata';
import { startNotificationConsumer } from './startNotificationConsumer.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { DATABASE_URL: databaseUrl, QUEUE_URL: queueUrl, AWS_ENDPOINT_URL: endpoint } = process.env;
if (!databaseUrl || !queueUrl) {
  process.stderr.write('notification-consumer: set DATABASE_URL and QUEUE_URL (and AWS_ENDPOINT_URL for a local endpoint)\n');
  process.exit(2);
}
const consumer = await startNotificationConsumer({ databaseUrl, queueUrl, endpoint });
process.stdout.write(JSON.stringify({ event: 'consuming', queueUrl }) + '\n');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    consumer.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`notification-consumer: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}
