// The SqsConsumer heartbeat on its own, against the real SQS endpoint: it keeps a message invisible,
// reports failed extensions without stopping, and never asks for more than SQS's 12 hours in all.
import { ReceiveMessageCommand, SendMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EntryBatcher } from '../src/consumer/EntryBatcher.js';
import { changeVisibilities, type VisibilityChange } from '../src/consumer/sendBatchEntries.js';
import { MAX_VISIBILITY_SECONDS, VisibilityHeartbeat } from '../src/consumer/VisibilityHeartbeat.js';
import { awsConfig, createQueue, recordCalls, waitFor } from './support/aws.js';

let sqs: SQSClient;
const heartbeats: VisibilityHeartbeat[] = [];
beforeAll(() => {
  sqs = new SQSClient(awsConfig());
});
afterEach(() => {
  for (const heartbeat of heartbeats.splice(0)) heartbeat.stop();
});
afterAll(() => sqs.destroy());

function heartbeat(queueUrl: string, visibilitySeconds: number, onError: (error: unknown) => void = () => {}): VisibilityHeartbeat {
  const changes = new EntryBatcher<VisibilityChange>({ send: (entries) => changeVisibilities(sqs, queueUrl, entries), maxWaitMs: 50, tries: 3 });
  const beat = new VisibilityHeartbeat({ visibilitySeconds, changes, onError });
  heartbeats.push(beat);
  return beat;
}

async function oneReceived(visibility: number): Promise<{ queueUrl: string; message: Message; receivedAt: number }> {
  const queueUrl = await createQueue(sqs, 'heartbeat');
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{}' }));
  const receivedAt = performance.now();
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: visibility, WaitTimeSeconds: 5 }));
  return { queueUrl, message: out.Messages![0]!, receivedAt };
}

const receiveWithin = async (queueUrl: string, seconds: number) =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: seconds }))).Messages ?? [];

describe('VisibilityHeartbeat', () => {
  it('keeps a message with a 1 s visibility timeout invisible while it is held; once let go, it comes back', async () => {
    const { queueUrl, message, receivedAt } = await oneReceived(1);
    const errors: unknown[] = [];
    const release = heartbeat(queueUrl, 1, (e) => errors.push(e)).hold(message, receivedAt);
    expect(await receiveWithin(queueUrl, 3)).toEqual([]);
    await release();
    expect((await receiveWithin(queueUrl, 5)).map((m) => m.MessageId)).toEqual([message.MessageId]);
    expect(errors).toEqual([]);
  });

  it('stops at the 12-hour cap: the last extension asks only for what is left, then the message comes back', async () => {
    const { queueUrl, message, receivedAt } = await oneReceived(2);
    const calls = recordCalls(sqs);
    // As if received 12 hours less 2 seconds ago: one extension of the 1 second left under the cap, then none.
    const release = heartbeat(queueUrl, 2, (e) => {
      throw e;
    }).hold(message, receivedAt - (MAX_VISIBILITY_SECONDS - 2) * 1000);
    try {
      expect((await receiveWithin(queueUrl, 10)).map((m) => m.MessageId)).toEqual([message.MessageId]);
    } finally {
      await release();
    }
    const extensions = calls.filter((c) => c.command === 'ChangeMessageVisibilityBatchCommand').flatMap((c) => c.input.Entries as VisibilityChange[]);
    expect(extensions.map((e) => (e as unknown as { VisibilityTimeout: number }).VisibilityTimeout)).toEqual([1]);
  });

  it('reports a failed extension (an unknown queue) and keeps trying', async () => {
    const errors: unknown[] = [];
    const message = { ReceiptHandle: 'x', MessageId: 'm' };
    const release = heartbeat(`${awsConfig().endpoint}/000000000000/no-such-queue`, 1, (e) => errors.push(e)).hold(message, performance.now());
    try {
      // Two reports: the first failure did not stop it. A deadline, so a heartbeat that gave up fails here.
      await waitFor(() => errors.length >= 2);
    } finally {
      await release();
    }
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });
});
