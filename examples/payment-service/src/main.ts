// node dist/main.js — env DATABASE_URL (required), PORT (default 3000; 0 picks a free one),
// OUTBOX_RELAY=in-process to run the relay inside the service instead of the sidecar (then OUTBOX_ROUTES,
// AWS_REGION, AWS_ENDPOINT_URL as for the sidecar).
// Prints one JSON line {"event":"listening","port":N} once it accepts requests; exits 0 on SIGTERM/SIGINT.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createPaymentApp } from './createPaymentApp.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('payment-service: set DATABASE_URL (postgres://user:pass@host:5432/db)\n');
  process.exit(2);
}
const app = await createPaymentApp(databaseUrl, { inProcessRelay: process.env.OUTBOX_RELAY === 'in-process' });
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
process.stdout.write(JSON.stringify({ event: 'listening', port }) + '\n');

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`payment-service: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}
