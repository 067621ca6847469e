import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { InMemoryInboxStore } from '@tx-outbox/outbox-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SnsTransport, SqsConsumer, SqsTransport } from '../src/index.js';
import type { ConsumedMessage, SqsConsumerErrorContext, SqsConsumerOptions } from '../src/index.js';
import { awsConfig, createQueue, createTopic, outboxMessage, queueDepth, subscribeQueue, uniqueName, waitFor } from './support/aws.js';

let sns: SNSClient;
let sqs: SQSClient;
const consumers: SqsConsumer[] = [];

beforeAll(() => {
  sns = new SNSClient(awsConfig());
  sqs = new SQSClient(awsConfig());
});
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});
afterAll(() => {
  sns.destroy();
  sqs.destroy();
});

function startConsumer(options: Omit<SqsConsumerOptions, 'client'>): SqsConsumer {
  const consumer = new SqsConsumer({ client: sqs, waitTimeSeconds: 1, ...options });
  consumers.push(consumer);
  consumer.start();
  return consumer;
}

async function sendDirect(queueUrl: string, count: number, subject = 'job.run') {
  const messages = Array.from({ length: count }, (_, i) => outboxMessage({ subject, body: { i } }));
  const results = await new SqsTransport({ client: sqs, routes: () => queueUrl }).publish(messages, { ordered: false });
  expect(results.every((r) => r.status === 'sent')).toBe(true);
  return messages;
}

describe('SqsConsumer', () => {
  it('decodes raw and enveloped SNS deliveries to the same { id, subject, body, headers }', async () => {
    const topicArn = await createTopic(sns, 'fanout');
    const rawQueue = await createQueue(sqs, 'raw');
    const envelopedQueue = await createQueue(sqs, 'enveloped');
    await subscribeQueue(sns, sqs, topicArn, rawQueue, true);
    await subscribeQueue(sns, sqs, topicArn, envelopedQueue, false);
    const message = outboxMessage({ subject: 'payment.created', body: { paymentId: 'p-9', amount: 12.5, tags: ['a'] }, headers: { tenant: 'acme' } });
    await new SnsTransport({ client: sns, routes: { 'payment.created': topicArn } }).publish([message], { ordered: false });
    const seen: Record<string, ConsumedMessage> = {};

    startConsumer({ queueUrl: rawQueue, handler: async (m) => void (seen.raw = m) });
    startConsumer({ queueUrl: envelopedQueue, handler: async (m) => void (seen.enveloped = m) });
    await waitFor(() => seen.raw !== undefined && seen.enveloped !== undefined);

    const expected = { id: message.id, subject: 'payment.created', body: { paymentId: 'p-9', amount: 12.5, tags: ['a'] }, headers: { tenant: 'acme' } };
    for (const m of [seen.raw!, seen.enveloped!]) {
      expect({ id: m.id, subject: m.subject, body: m.body, headers: m.headers }).toEqual(expected);
      expect(m.receiveCount).toBe(1);
    }
    expect(JSON.parse(seen.enveloped!.raw.Body!)).toMatchObject({ Type: 'Notification' });
  });

  it('deletes a message once its handler resolves', async () => {
    const queueUrl = await createQueue(sqs, 'ack');
    const sent = await sendDirect(queueUrl, 5);
    const handled: string[] = [];

    const consumer = startConsumer({ queueUrl, handler: async (m) => void handled.push(m.id) });
    await waitFor(() => handled.length === 5);
    await consumer.stop();

    expect(handled.sort()).toEqual(sent.map((m) => m.id).sort());
    expect(await queueDepth(sqs, queueUrl)).toBe(0);
  });

  it('leaves a message whose handler failed for redelivery, then deletes it when it succeeds', async () => {
    const queueUrl = await createQueue(sqs, 'redeliver');
    await sendDirect(queueUrl, 1);
    const attempts: number[] = [];
    const errors: Array<{ name: string; stage: string }> = [];

    const consumer = startConsumer({
      queueUrl,
      visibilityTimeout: 1,
      handler: async (m) => {
        attempts.push(m.receiveCount);
        if (m.receiveCount === 1) throw new Error('downstream unavailable');
      },
      onError: (error, context) => errors.push({ name: (error as Error).name, stage: context.stage }),
    });
    await waitFor(() => attempts.length === 2);
    await consumer.stop();

    expect(attempts).toEqual([1, 2]);
    expect(errors).toEqual([{ name: 'Error', stage: 'handler' }]);
    expect(await queueDepth(sqs, queueUrl)).toBe(0);
  });

  it('on a FIFO queue handles a group one message at a time, and never after an earlier one failed', async () => {
    const queueUrl = await createQueue(sqs, 'fifo-consume', { fifo: true });
    const client = new SQSClient(awsConfig());
    // Real SQS may return several messages of one group in one receive (the local endpoint returns one):
    // answer the first receive with three messages of group g, as SQS would.
    const ids = [0, 1, 2].map(() => outboxMessage().id);
    let first = true;
    const deleted: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteMessageBatchCommand') {
          deleted.push(...(args as { input: { Entries: Array<{ ReceiptHandle: string }> } }).input.Entries.map((e) => e.ReceiptHandle));
          return { output: { Successful: [], Failed: [], $metadata: {} }, response: {} } as never;
        }
        if (context.commandName !== 'ReceiveMessageCommand' || !first) return next(args);
        first = false;
        const Messages = ids.map((id, i) => ({
          MessageId: `m-${i}`,
          ReceiptHandle: `not-a-real-handle-${i}`,
          Body: JSON.stringify({ i }),
          Attributes: { ApproximateReceiveCount: '1', MessageGroupId: 'g' },
          MessageAttributes: {
            'outbox-message-id': { DataType: 'String', StringValue: id },
            subject: { DataType: 'String', StringValue: 'job.run' },
          },
        }));
        return { output: { Messages, $metadata: {} }, response: {} } as never;
      },
      { step: 'initialize', name: 'groupedReceive' },
    );
    const started: number[] = [];
    let active = 0;
    let maxActive = 0;
    const consumer = new SqsConsumer({
      client,
      queueUrl,
      waitTimeSeconds: 1,
      concurrency: 10,
      handler: async (m) => {
        const { i } = m.body as { i: number };
        started.push(i);
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 20));
        active -= 1;
        if (i === 1) throw new Error('message 1 fails');
      },
      onError: () => {},
    });
    consumers.push(consumer);
    consumer.start();
    await waitFor(() => started.length >= 2);
    await consumer.stop();
    client.destroy();

    // 0 then 1, one at a time; 2 is left for redelivery behind the failed 1, not handled out of order.
    expect(started).toEqual([0, 1]);
    expect(maxActive).toBe(1);
    // Only 0 is acknowledged: 1 failed and 2 waits behind it, so both stay on the queue for redelivery.
    expect(deleted).toEqual(['not-a-real-handle-0']);
  });

  it('with retryDelaySeconds makes a failed message visible again before its visibility timeout', async () => {
    const queueUrl = await createQueue(sqs, 'retry-delay');
    await sendDirect(queueUrl, 1);
    let calls = 0;

    startConsumer({
      queueUrl,
      visibilityTimeout: 600,
      retryDelaySeconds: 0,
      handler: async () => {
        calls += 1;
        if (calls === 1) throw new Error('first try fails');
      },
      onError: () => {},
    });

    await waitFor(() => calls === 2);
    expect(calls).toBe(2);
  });

  it('stop() stops receiving and resolves only after the running handlers finished and were acknowledged', async () => {
    const queueUrl = await createQueue(sqs, 'drain');
    await sendDirect(queueUrl, 1);
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));

    const consumer = startConsumer({
      queueUrl,
      handler: async () => {
        events.push('handler started');
        await gate;
        events.push('handler finished');
      },
    });
    await waitFor(() => events.length === 1);
    const stopped = consumer.stop().then(() => events.push('stopped'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    events.push('released');
    release();
    await stopped;

    expect(events).toEqual(['handler started', 'released', 'handler finished', 'stopped']);
    expect(consumer.running).toBe(false);
    expect(await queueDepth(sqs, queueUrl)).toBe(0);
  });

  it('runs at most `concurrency` handlers at once', async () => {
    const queueUrl = await createQueue(sqs, 'bounded');
    await sendDirect(queueUrl, 24);
    let active = 0;
    let maxActive = 0;
    let done = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));

    startConsumer({
      queueUrl,
      concurrency: 3,
      handler: async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await gate;
        active -= 1;
        done += 1;
      },
    });
    // Handlers hold until three run at once (however slowly the receives come back), then all go.
    try {
      await waitFor(() => active === 3);
    } finally {
      release();
    }
    await waitFor(() => done === 24);

    expect(maxActive).toBe(3);
  });

  it('reports a message without an outbox id or with a non-JSON body as UndecodableMessageError and leaves it on the queue', async () => {
    const queueUrl = await createQueue(sqs, 'foreign');
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"hello":"world"}' }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'not json',
        MessageAttributes: { 'outbox-message-id': { DataType: 'String', StringValue: 'id-1' } },
      }),
    );
    const reported: Array<{ name: string; context: SqsConsumerErrorContext }> = [];
    let handled = 0;

    const consumer = startConsumer({
      queueUrl,
      visibilityTimeout: 600,
      handler: async () => void (handled += 1),
      onError: (error, context) => reported.push({ name: (error as Error).name, context }),
    });
    await waitFor(() => reported.length === 2);
    await consumer.stop();

    expect(reported.map((r) => [r.name, r.context.stage])).toEqual([
      ['UndecodableMessageError', 'decode'],
      ['UndecodableMessageError', 'decode'],
    ]);
    expect(handled).toBe(0);
    expect(await queueDepth(sqs, queueUrl)).toBe(2);
  });

  it('with an inbox store runs the handler once per outbox id and deletes the duplicate', async () => {
    const queueUrl = await createQueue(sqs, 'inbox-store');
    const message = outboxMessage({ subject: 'order.placed', body: { order: 1 } });
    const transport = new SqsTransport({ client: sqs, routes: () => queueUrl });
    await transport.publish([message], { ordered: false });
    await transport.publish([message], { ordered: false });
    const store = new InMemoryInboxStore();
    const handled: string[] = [];

    const consumer = startConsumer({
      queueUrl,
      concurrency: 1,
      inbox: { store, consumer: 'orders' },
      handler: async (m) => void handled.push(m.id),
    });
    // Both copies are acknowledged: the duplicate without running the handler.
    await waitFor(async () => handled.length === 1 && (await queueDepth(sqs, queueUrl)) === 0);
    await consumer.stop();

    expect(handled).toEqual([message.id]);
    expect(store.size).toBe(1);
  });

  it('a queue URL that names no queue: each failed receive names the URL and the wait before the next, which doubles; once the queue exists it consumes', async () => {
    const name = uniqueName('not-yet');
    const queueUrl = (await createQueue(sqs, 'sibling')).replace(/[^/]+$/, name);
    const reported: Array<{ name: string; context: SqsConsumerErrorContext }> = [];
    const handled: string[] = [];
    startConsumer({ queueUrl, extendVisibility: false, handler: async (m) => void handled.push(m.id), onError: (error, context) => reported.push({ name: (error as Error).name, context }) });
    await waitFor(() => reported.length === 2);

    expect(reported.map((r) => [r.name, r.context.stage, r.context.queueUrl])).toEqual([
      ['QueueDoesNotExist', 'receive', queueUrl],
      ['QueueDoesNotExist', 'receive', queueUrl],
    ]);
    const [first, second] = reported.map((r) => r.context.retryInMs!);
    expect(first).toBeGreaterThanOrEqual(900);
    expect(first).toBeLessThanOrEqual(1_100);
    expect(second).toBeGreaterThanOrEqual(1_800);
    expect(second).toBeLessThanOrEqual(2_200);

    expect((await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl).toBe(queueUrl);
    const [message] = await sendDirect(queueUrl, 1);
    await waitFor(() => handled.length === 1);
    expect(handled).toEqual([message!.id]);
  });

  it('the default onError says which queue a receive failed on, why, and when it tries again', async () => {
    const queueUrl = (await createQueue(sqs, 'sibling')).replace(/[^/]+$/, uniqueName('missing'));
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      startConsumer({ queueUrl, extendVisibility: false, handler: async () => undefined });
      await waitFor(() => printed.mock.calls.length >= 1);
      const [line, error] = printed.mock.calls[0]!;
      expect(line).toMatch(new RegExp(`^SqsConsumer: ReceiveMessage from ${queueUrl.replace(/[.?]/g, '\\$&')} failed \\(no such queue: check queueUrl, region and endpoint\\); next receive in (0\\.9|1|1\\.[01]) s:$`));
      expect((error as Error).name).toBe('QueueDoesNotExist');
    } finally {
      await Promise.all(consumers.splice(0).map((c) => c.stop()));
      printed.mockRestore();
    }
  });

  it('validates its options at construction', () => {
    const handler = async () => {};
    expect(() => new SqsConsumer({ client: sqs, queueUrl: '', handler })).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'queueUrl' }));
    expect(() => new SqsConsumer({ client: sqs, queueUrl: 'q', handler, waitTimeSeconds: 21 })).toThrow(
      expect.objectContaining({ name: 'InvalidOptionError', option: 'waitTimeSeconds' }),
    );
    expect(() => new SqsConsumer({ client: sqs, queueUrl: 'q', handler, concurrency: 0 })).toThrow(
      expect.objectContaining({ name: 'InvalidOptionError', option: 'concurrency' }),
    );
    const noStore = { store: {} as InMemoryInboxStore, consumer: 'orders' };
    expect(() => new SqsConsumer({ client: sqs, queueUrl: 'q', handler, inbox: noStore })).toThrow(
      expect.objectContaining({ name: 'InvalidOptionError', option: 'inbox.store' }),
    );
  });
});
