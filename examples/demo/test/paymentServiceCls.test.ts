import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// The compiled example (its dist/: Nest DI needs the decorator metadata tsc emits). typeorm-transactional
// is never initialized in this process: only @nestjs-cls/transactional holds the transactions.
import { createClsPaymentApp, PaymentService } from '@tx-outbox/example-payment-service';

describe('PaymentService on @nestjs-cls/transactional (ClsAppModule, real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: Awaited<ReturnType<typeof createClsPaymentApp>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'payment_service_cls');
    app = await createClsPaymentApp(db.url);
    await app.init();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  const counts = async (paymentId: string) => ({
    payments: (await pool.query('SELECT 1 FROM payments WHERE id = $1', [paymentId])).rowCount,
    events: (await pool.query(`SELECT 1 FROM outbox WHERE payload->>'paymentId' = $1`, [paymentId])).rowCount,
  });

  it('commits the payment and its event together; a rollback after sendEvent keeps neither', async () => {
    const service = app.get(PaymentService);
    const payment = await service.create({ customerId: 'c-1', amountCents: 1250, currency: 'EUR' });
    const failed = await service.create({ customerId: 'c-2', amountCents: 99, currency: 'EUR', failAfterSend: true }).then(
      () => undefined,
      (e: Error & { paymentId: string }) => e,
    );
    expect(failed?.name).toBe('SimulatedFailureError');
    expect(await counts(payment.id)).toEqual({ payments: 1, events: 1 });
    expect(await counts(failed!.paymentId)).toEqual({ payments: 0, events: 0 });
  });

  it('over HTTP (cls middleware): 201 keeps both rows, 422 keeps neither', async () => {
    await app.listen(0, '127.0.0.1');
    const url = `${await app.getUrl()}/payments`;
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { id?: string; paymentId?: string } }),
      );
    const created = await post({ customerId: 'c-3', amountCents: 10, currency: 'USD' });
    const failed = await post({ customerId: 'c-3', amountCents: 10, currency: 'USD', failAfterSend: true });
    expect([created.status, failed.status]).toEqual([201, 422]);
    expect(await counts(created.body.id!)).toEqual({ payments: 1, events: 1 });
    expect(await counts(failed.body.paymentId!)).toEqual({ payments: 0, events: 0 });
  });
});
