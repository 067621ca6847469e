// Typed consuming against the real SQS endpoint: handlers get bodies checked by the contract's schema
// (zod and valibot); a refused body is reported with its message id and acknowledged, never retried;
// two versions of one event in flight are handled by an old and a new consumer side by side.
import { SQSClient } from '@aws-sdk/client-sqs';
import type { InvalidEventBodyError } from '@tx-outbox/outbox-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqsConsumer, SqsTransport, contractHandler, createSqsLambdaHandler } from '../src/index.js';
import type { ConsumedMessage, SqsConsumerOptions } from '../src/index.js';
import { awsConfig, createQueue, outboxMessage, queueDepth, receiveAll, waitFor } from './support/aws.js';
import { testEvents, testEventsV1 } from './support/testContract.js';

let sqs: SQSClient;
const consumers: SqsConsumer[] = [];

beforeAll(() => {
  sqs = new SQSClient(awsConfig());
});
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});
afterAll(() => sqs.destroy());

function startConsumer(options: Omit<SqsConsumerOptions, 'client'>): SqsConsumer {
  const consumer = new SqsConsumer({ client: sqs, waitTimeSeconds: 1, visibilityTimeout: 1, ...options });
  consumers.push(consumer);
  consumer.start();
  return consumer;
}

async function send(queueUrl: string, messages: Array<{ subject: string; body: unknown }>) {
  const sent = messages.map((m) => outboxMessage(m));
  const results = await new SqsTransport({ client: sqs, routes: () => queueUrl }).publish(sent, { ordered: false });
  expect(results.every((r) => r.status === 'sent')).toBe(true);
  return sent;
}

describe('contractHandler', () => {
  for (const subject of ['zod.created', 'valibot.created'] as const) {
    it(`${subject}: a valid body reaches its handler; an invalid one is reported with its id and deleted, not retried`, async () => {
      const queueUrl = await createQueue(sqs, 'typed');
      const [, bad] = await send(queueUrl, [
        { subject, body: { paymentId: 'p-1', amountCents: 1250 } },
        { subject, body: { paymentId: 'p-2', amountCents: 'ten' } },
      ]);
      const handled: unknown[] = [];
      const invalid: InvalidEventBodyError[] = [];
      const failed: unknown[] = [];
      const consumer = startConsumer({
        queueUrl,
        handler: contractHandler(testEvents, { [subject]: async ({ body }: { body: unknown }) => void handled.push(body) }, { onInvalidBody: (e) => invalid.push(e) }),
      });
      consumer.on('message:failed', (f) => failed.push(f));
      await waitFor(() => handled.length === 1 && invalid.length === 1);
      await consumer.stop();

      expect(handled).toEqual([{ paymentId: 'p-1', amountCents: 1250 }]);
      expect(invalid[0]).toMatchObject({ name: 'InvalidEventBodyError', messageId: bad!.id, subject, issues: [{ path: 'amountCents' }] });
      expect(failed).toEqual([]);
      expect(await queueDepth(sqs, queueUrl)).toBe(0);
    });
  }

  it('the Lambda handler: an invalid body is reported and not in batchItemFailures (not retried)', async () => {
    const queueUrl = await createQueue(sqs, 'typed-lambda');
    const [good, bad] = await send(queueUrl, [
      { subject: 'zod.created', body: { paymentId: 'p-1', amountCents: 5 } },
      { subject: 'zod.created', body: { paymentId: 7 } },
    ]);
    const raw = await receiveAll(sqs, queueUrl, 2);
    const records = raw.map((m) => ({
      messageId: m.MessageId!,
      body: m.Body!,
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, a]) => [k, { stringValue: a.StringValue, dataType: a.DataType! }])),
    }));
    const handled: string[] = [];
    const invalid: string[] = [];
    const lambda = createSqsLambdaHandler({
      handler: contractHandler(testEvents, { 'zod.created': async ({ id, body }) => void handled.push(`${id}:${body.amountCents}`) }, { onInvalidBody: (e) => invalid.push(e.messageId!) }),
    });
    expect(await lambda({ Records: records })).toEqual({ batchItemFailures: [] });
    expect({ handled, invalid }).toEqual({ handled: [`${good!.id}:5`], invalid: [bad!.id] });
  });

  it('versioned events: the producer writes v1 and v2 during a deploy; the old consumer handles v1, the new one v2, nothing is retried', async () => {
    const oldQueue = await createQueue(sqs, 'v-old');
    const newQueue = await createQueue(sqs, 'v-new');
    const inFlight = [
      { subject: 'payment.captured', body: { paymentId: 'p-1', amount: 12.5 } },
      { subject: 'payment.captured.v2', body: { paymentId: 'p-1', amount: { cents: 1250, currency: 'EUR' } } },
    ];
    await send(oldQueue, inFlight);
    await send(newQueue, inFlight);
    const oldSeen: string[] = [];
    const newSeen: string[] = [];
    const failed: ConsumedMessage[] = [];
    // Built before v2 existed: it knows payment.captured only, and acknowledges subjects it does not know.
    const oldConsumer = startConsumer({
      queueUrl: oldQueue,
      handler: contractHandler(testEventsV1, { 'payment.captured': ({ body }) => void oldSeen.push(`v1:${body.amount}`) }, { unknownSubject: 'acknowledge' }),
    });
    const newConsumer = startConsumer({
      queueUrl: newQueue,
      handler: contractHandler(
        testEvents,
        { 'payment.captured.v2': ({ body }) => void newSeen.push(`v2:${body.amount.cents} ${body.amount.currency}`) },
        { unknownSubject: 'acknowledge' },
      ),
    });
    for (const c of [oldConsumer, newConsumer]) c.on('message:failed', ({ message }) => failed.push(message));
    await waitFor(async () => (await queueDepth(sqs, oldQueue)) === 0 && (await queueDepth(sqs, newQueue)) === 0);
    expect({ oldSeen, newSeen, failed }).toEqual({ oldSeen: ['v1:12.5'], newSeen: ['v2:1250 EUR'], failed: [] });
  });

  it("unknownSubject 'retry' (the default) leaves a subject without handler on the queue", async () => {
    const queueUrl = await createQueue(sqs, 'typed-unknown');
    await send(queueUrl, [{ subject: 'plain.created', body: { paymentId: 'p' } }]);
    const failed: string[] = [];
    const consumer = startConsumer({ queueUrl, handler: contractHandler(testEvents, {}), onError: () => undefined });
    consumer.on('message:failed', ({ error }) => failed.push((error as Error).name));
    await waitFor(() => failed.length >= 1);
    await consumer.stop();
    expect(failed[0]).toBe('UnhandledSubjectError');
  });
});
