import { SQSClient } from '@aws-sdk/client-sqs';
import { messageSize } from '@tx-outbox/outbox-core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsTransport } from '../src/index.js';
import { awsConfig, createQueue, failCalls, outboxMessage, receiveAll, recordCalls } from './support/aws.js';

let sqs: SQSClient;
beforeAll(() => {
  sqs = new SQSClient(awsConfig());
});
afterAll(() => sqs.destroy());

describe('SqsTransport', () => {
  it('sends to the routed queue with the payload as body and the outbox attributes', async () => {
    const queueUrl = await createQueue(sqs, 'direct');
    const transport = new SqsTransport({ client: sqs, routes: [{ prefix: 'invoice.', queueUrl }] });
    const message = outboxMessage({ subject: 'invoice.paid', body: { invoice: 7 }, headers: { source: 'billing' } });

    expect(await transport.publish([message], { ordered: false })).toEqual([{ id: message.id, status: 'sent', route: queueUrl }]);

    const [received] = await receiveAll(sqs, queueUrl, 1);
    expect(received!.Body).toBe(message.payload);
    expect(received!.MessageAttributes).toEqual({
      'outbox-message-id': { DataType: 'String', StringValue: message.id },
      subject: { DataType: 'String', StringValue: 'invoice.paid' },
      source: { DataType: 'String', StringValue: 'billing' },
    });
  });

  it('splits 25 messages of mixed sizes into broker batches (SendMessageBatch calls) within the AWS limits (10 entries, 1 MiB in all), one queue per call', async () => {
    const [smallQueue, bigQueue] = [await createQueue(sqs, 'broker-batches-a'), await createQueue(sqs, 'broker-batches-b')];
    const client = new SQSClient(awsConfig());
    const calls = recordCalls(client);
    const transport = new SqsTransport({ client, routes: (subject) => (subject === 'big' ? bigQueue : smallQueue) });
    const messages = Array.from({ length: 25 }, (_, i) =>
      outboxMessage({ subject: i % 4 === 0 ? 'big' : 'small', body: { i, pad: 'y'.repeat(i === 8 ? 200 * 1024 : i % 4 === 0 ? 45 * 1024 : 100) } }),
    );
    const byPayload = new Map(messages.map((m) => [m.payload, m]));

    const results = await transport.publish(messages, { ordered: false });
    client.destroy();

    expect(results.map((r) => r.status)).toEqual(Array(25).fill('sent'));
    const batches = calls.filter((c) => c.command === 'SendMessageBatchCommand');
    for (const call of batches) {
      const entries = call.input.Entries as Array<{ Id: string; MessageBody: string }>;
      const sent = entries.map((e) => byPayload.get(e.MessageBody)!);
      expect(entries.length).toBeLessThanOrEqual(10);
      expect(new Set(entries.map((e) => e.Id)).size).toBe(entries.length);
      expect(sent.reduce((sum, m) => sum + messageSize(m), 0)).toBeLessThanOrEqual(1_048_576);
      expect(new Set(sent.map((m) => m.subject)).size).toBe(1);
    }
    expect(batches.flatMap((c) => c.input.Entries as unknown[])).toHaveLength(25);
    expect(await receiveAll(sqs, smallQueue, 18)).toHaveLength(18);
    expect(await receiveAll(sqs, bigQueue, 7)).toHaveLength(7);
  });

  it('sets the FIFO group and deduplication ids on a FIFO queue: order kept, a re-sent message dropped', async () => {
    const queueUrl = await createQueue(sqs, 'fifo-direct', { fifo: true });
    const transport = new SqsTransport({ client: sqs, routes: { step: queueUrl } });
    const messages = Array.from({ length: 6 }, (_, i) => outboxMessage({ subject: 'step', groupKey: i < 3 ? 'a' : null, body: { i } }));

    await transport.publish(messages, { ordered: true });
    await transport.publish([messages[0]!], { ordered: true });

    const received = await receiveAll(sqs, queueUrl, 6);
    expect(received).toHaveLength(6);
    const group = (id: string) => received.filter((m) => m.Attributes!.MessageGroupId === id).map((m) => (JSON.parse(m.Body!) as { i: number }).i);
    expect(group('a')).toEqual([0, 1, 2]);
    // No groupKey: the subject is the group.
    expect(group('step')).toEqual([3, 4, 5]);
  });

  it('reports a missing queue as a blocked route and a throttled call as retry', async () => {
    const queueUrl = await createQueue(sqs, 'present');
    const client = new SQSClient(awsConfig());
    failCalls(client, 'SendMessageBatchCommand', 'RequestThrottled');
    const transport = new SqsTransport({ client, routes: { ok: queueUrl, gone: `${queueUrl}-deleted` } });
    const ok = outboxMessage({ subject: 'ok' });
    const gone = outboxMessage({ subject: 'gone' });

    const throttled = await transport.publish([ok], { ordered: false });
    const results = await transport.publish([ok, gone], { ordered: false });
    client.destroy();

    expect(throttled[0]!.status).toBe('retry');
    expect(results.map((r) => r.status)).toEqual(['sent', 'blocked']);
    expect(results[1]).toMatchObject({ route: `${queueUrl}-deleted`, error: expect.stringMatching(/^QueueDoesNotExist/) });
  });
});
