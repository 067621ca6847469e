// The SqsConsumer heartbeat on its own, against the real SQS endpoint: it keeps a message invisible,
// reports failed extensions without stopping, and never asks for more than SQS's 12 hours in all.
import { ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VISIBILITY_SECONDS, keepInvisibleWhileRunning } from '../src/consumer/keepInvisibleWhileRunning.js';
import { awsConfig, createQueue, waitFor } from './support/aws.js';

let sqs: SQSClient;
beforeAll(() => {
  sqs = new SQSClient(awsConfig());
});
afterAll(() => sqs.destroy());

async function oneReceived(visibility: number): Promise<{ queueUrl: string; message: Message; receivedAt: number }> {
  const queueUrl = await createQueue(sqs, 'heartbeat');
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{}' }));
  const receivedAt = performance.now();
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: visibility, WaitTimeSeconds: 5 }));
  return { queueUrl, message: out.Messages![0]!, receivedAt };
}

const receiveWithin = async (queueUrl: string, seconds: number) =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: seconds }))).Messages ?? [];

describe('keepInvisibleWhileRunning', () => {
  it('keeps a message with a 1 s visibility timeout invisible while it runs; once stopped, it comes back', async () => {
    const { queueUrl, message, receivedAt } = await oneReceived(1);
    const errors: unknown[] = [];
    const stop = keepInvisibleWhileRunning({ client: sqs, queueUrl, receiptHandle: message.ReceiptHandle, visibilitySeconds: 1, receivedAt, onError: (e) => errors.push(e) });
    expect(await receiveWithin(queueUrl, 3)).toEqual([]);
    await stop();
    expect((await receiveWithin(queueUrl, 5)).map((m) => m.MessageId)).toEqual([message.MessageId]);
    expect(errors).toEqual([]);
  });

  it('stops at the 12-hour cap: the last extension asks only for what is left, then the message comes back', async () => {
    const { queueUrl, message, receivedAt } = await oneReceived(2);
    // As if received 12 hours less 2 seconds ago: one extension of the 1 second left under the cap, then none.
    const stop = keepInvisibleWhileRunning({
      client: sqs,
      queueUrl,
      receiptHandle: message.ReceiptHandle,
      visibilitySeconds: 2,
      receivedAt: receivedAt - (MAX_VISIBILITY_SECONDS - 2) * 1000,
      onError: (e) => {
        throw e;
      },
    });
    try {
      expect((await receiveWithin(queueUrl, 10)).map((m) => m.MessageId)).toEqual([message.MessageId]);
    } finally {
      await stop();
    }
  });

  it('reports a failed extension (an unknown queue) and keeps trying', async () => {
    const errors: unknown[] = [];
    const stop = keepInvisibleWhileRunning({
      client: sqs,
      queueUrl: `${awsConfig().endpoint}/000000000000/no-such-queue`,
      receiptHandle: 'x',
      visibilitySeconds: 1,
      receivedAt: performance.now(),
      onError: (e) => errors.push(e),
    });
    try {
      // Two reports: the first failure did not stop it. A deadline, so a heartbeat that gave up fails here.
      await waitFor(() => errors.length >= 2);
    } finally {
      await stop();
    }
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });
});
