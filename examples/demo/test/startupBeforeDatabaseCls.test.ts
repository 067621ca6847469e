// The cls variant of startupBeforeDatabase.test.ts (its own process: typeorm-transactional is never
// initialized here): ClsAppModule comes up once PostgreSQL does.
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningPostgres } from '@tx-outbox/devkit';
import { createClsPaymentApp, PaymentService } from '@tx-outbox/example-payment-service';
import { captureOutput, postgresLater, waitUntil } from './support/postgresLater.js';

let server: RunningPostgres | undefined;
afterAll(async () => {
  await server?.stop();
});

describe('payment-service on @nestjs-cls/transactional, started before its database', () => {
  it('comes up once PostgreSQL does, with the real error logged meanwhile, and commits a payment', async () => {
    const later = await postgresLater();
    const output = captureOutput();
    let log: string;
    let app: Awaited<ReturnType<typeof createClsPaymentApp>>;
    try {
      const starting = createClsPaymentApp(later.url);
      starting.catch(() => undefined);
      await waitUntil(() => /Unable to connect to the database/.test(output.text()), 'a first failed connection attempt');
      server = await later.start();
      app = await starting;
      await app.init();
      log = output.text();
    } finally {
      output.restore();
    }
    try {
      expect(log).toMatch(/ECONNREFUSED/);
      const payment = await app.get(PaymentService).create({ customerId: 'c-late', amountCents: 5, currency: 'EUR' });
      expect(payment.id).toEqual(expect.any(String));
    } finally {
      await app.close();
    }
  });
});
