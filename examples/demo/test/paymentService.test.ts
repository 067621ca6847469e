import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// The compiled example (by package name, i.e. its dist/): Nest DI needs the decorator metadata tsc emits,
// which vitest's esbuild transform does not. Lives here because the demo package has devkit and pg.
import { createPaymentApp, PaymentService } from '@tx-outbox/example-payment-service';

describe('PaymentService (Nest app with OutboxModule, real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: Awaited<ReturnType<typeof createPaymentApp>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'payment_service');
    app = await createPaymentApp(db.url); // runs the outbox and payments migrations
    await app.init();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await db?.drop();
  });

  const rowsFor = async (paymentId: string) => {
    const payments = await pool.query('SELECT customer_id, amount_cents FROM payments WHERE id = $1', [paymentId]);
    const outbox = await pool.query(`SELECT subject, payload, group_key FROM outbox WHERE payload->>'paymentId' = $1`, [paymentId]);
    return { payments: payments.rows, outbox: outbox.rows };
  };

  it('commits the payment and its payment.created event together', async () => {
    const payment = await app.get(PaymentService).create({ customerId: 'c-1', amountCents: 1250, currency: 'EUR' });

    const rows = await rowsFor(payment.id);
    expect(rows.payments).toEqual([{ customer_id: 'c-1', amount_cents: 1250 }]);
    expect(rows.outbox).toEqual([
      {
        subject: 'payment.created',
        payload: { paymentId: payment.id, customerId: 'c-1', amountCents: 1250, currency: 'EUR' },
        group_key: 'c-1',
      },
    ]);
  });

  it('keeps neither the payment nor the event when the transaction rolls back after sendEvent', async () => {
    const error = await app
      .get(PaymentService)
      .create({ customerId: 'c-2', amountCents: 99, currency: 'EUR', failAfterSend: true })
      .then(() => undefined, (e: unknown) => e as Error & { paymentId: string });

    expect(error?.name).toBe('SimulatedFailureError');
    expect(await rowsFor(error!.paymentId)).toEqual({ payments: [], outbox: [] });
  });

  it('answers over HTTP: 201 with the id, 422 with the id of the rolled-back payment, 400 on a bad body', async () => {
    await app.listen(0, '127.0.0.1');
    const url = `${await app.getUrl()}/payments`;
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { id?: string; paymentId?: string; error?: string },
      }));

    const created = await post({ customerId: 'c-3', amountCents: 10, currency: 'USD' });
    const failed = await post({ customerId: 'c-3', amountCents: 10, currency: 'USD', failAfterSend: true });
    const invalid = await post({ customerId: '', amountCents: -1, currency: 'usd' });

    expect(created.status).toBe(201);
    expect((await rowsFor(created.body.id!)).outbox).toHaveLength(1);
    expect(failed).toMatchObject({ status: 422, body: { error: 'SimulatedFailureError' } });
    expect(await rowsFor(failed.body.paymentId!)).toEqual({ payments: [], outbox: [] });
    expect(invalid.status).toBe(400);
  });
});
