import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
// The compiled example (its dist/), for the decorator metadata Nest DI needs.
import { createPaymentApp, PaymentService } from '@tx-outbox/example-payment-service';

// The payment service with OUTBOX_RELAY=in-process: the relay runs inside it (OutboxRelayModule) instead
// of the sidecar, against a real PostgreSQL and the real SNS/SQS endpoint.
describe('payment-service with the in-process relay', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const aws = () => ({ endpoint: inject('awsEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

  beforeAll(async () => {
    db = await createTestDatabase(inject('databaseUrl'), 'payment_inprocess');
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('publishes a created payment without a sidecar, and drains on app.close()', async () => {
    const sns = new SNSClient(aws());
    const sqs = new SQSClient(aws());
    const suffix = Math.random().toString(36).slice(2, 8);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `payments-${suffix}` }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `payments-${suffix}` }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn, Attributes: { RawMessageDelivery: 'true' } }));
    Object.assign(process.env, { OUTBOX_ROUTES: `payment.*=${TopicArn}`, AWS_ENDPOINT_URL: inject('awsEndpoint'), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });

    const app = await createPaymentApp(db.url, { inProcessRelay: true });
    await app.init();
    const payment = await app.get(PaymentService).create({ customerId: 'c-9', amountCents: 500, currency: 'EUR' });
    let received: Array<{ Body?: string; MessageAttributes?: Record<string, { StringValue?: string }> }> = [];
    for (let i = 0; i < 15 && received.length === 0; i++) {
      received = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }))).Messages ?? [];
    }
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.Body!)).toMatchObject({ paymentId: payment.id });
    expect(received[0]!.MessageAttributes?.subject?.StringValue).toBe('payment.created');

    await app.get(PaymentService).create({ customerId: 'c-9', amountCents: 501, currency: 'EUR' });
    await app.close();
    const { rows } = await pool.query(`SELECT count(*) FILTER (WHERE sent_at IS NULL AND locked_until > now())::int AS leased FROM outbox`);
    expect(rows[0].leased).toBe(0);
    sns.destroy();
    sqs.destroy();
  });
});
