// The examples' Nest wiring (TypeOrmModule + createTransactionalDataSource, as the README shows it) started
// while PostgreSQL is down: each comes up once the database starts, its log shows the real connection
// error, and never typeorm-transactional's "already added". One database, started late, per app.
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { RunningPostgres } from '@tx-outbox/devkit';
import { createPaymentApp, PaymentService } from '@tx-outbox/example-payment-service';
import { startNotificationConsumer } from '@tx-outbox/example-notification-consumer';
import pg from 'pg';
import { captureOutput, postgresLater, waitUntil } from './support/postgresLater.js';

const servers: RunningPostgres[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

/** Starts `app` against a database that is down, starts the database after the first failed attempt; returns what the app logged. */
async function startBeforeDatabase<T>(startApp: (url: string) => Promise<T>): Promise<{ app: T; log: string; url: string }> {
  const later = await postgresLater();
  const output = captureOutput();
  try {
    const starting = startApp(later.url);
    starting.catch(() => undefined); // awaited below; a failure is the test's
    await waitUntil(() => /Unable to connect to the database/.test(output.text()), 'a first failed connection attempt');
    servers.push(await later.start());
    const app = await starting;
    return { app, log: output.text(), url: later.url };
  } finally {
    output.restore();
  }
}

describe('the examples start before their database', () => {
  it('payment-service (typeorm-transactional): comes up once PostgreSQL does, and commits a payment with its event', async () => {
    const { app, log, url } = await startBeforeDatabase(async (databaseUrl) => {
      const created = await createPaymentApp(databaseUrl);
      await created.init();
      return created;
    });
    try {
      expect(log).toMatch(/ECONNREFUSED/);
      expect(log).not.toMatch(/has already added/);
      const payment = await app.get(PaymentService).create({ customerId: 'c-late', amountCents: 5, currency: 'EUR' });
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'paymentId' = $1`, [payment.id]);
      await pool.end();
      expect(rows[0].n).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('notification-consumer: comes up once PostgreSQL does (its inbox migrated)', async () => {
    const sqs = new SQSClient({ endpoint: inject('awsEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `startup-late-${Date.now()}` }));
    sqs.destroy();
    const { app: consumer, log, url } = await startBeforeDatabase((databaseUrl) => startNotificationConsumer({ databaseUrl, queueUrl: queueUrl!, endpoint: inject('awsEndpoint') }));
    try {
      expect(log).toMatch(/ECONNREFUSED/);
      expect(log).not.toMatch(/has already added/);
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const { rows } = await pool.query(`SELECT to_regclass('inbox') IS NOT NULL AS inbox`);
      await pool.end();
      expect(rows[0].inbox).toBe(true);
    } finally {
      await consumer.stop();
    }
  });
});
