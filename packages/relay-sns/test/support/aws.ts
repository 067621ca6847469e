// Helpers for tests against the real SNS/SQS endpoint of the global setup.
import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { newMessageId } from '@tx-outbox/outbox-core/internal';
import type { OutboxMessage } from '@tx-outbox/outbox-core';
import { inject } from 'vitest';

export function awsConfig() {
  return { endpoint: inject('awsEndpoint'), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createTopic(sns: SNSClient, prefix: string, fifo = false): Promise<string> {
  const out = await sns.send(
    new CreateTopicCommand({ Name: uniqueName(prefix) + (fifo ? '.fifo' : ''), Attributes: fifo ? { FifoTopic: 'true' } : undefined }),
  );
  return out.TopicArn!;
}

export async function createQueue(sqs: SQSClient, prefix: string, options: { fifo?: boolean; visibilityTimeout?: number } = {}): Promise<string> {
  const attributes: Record<string, string> = {};
  if (options.fifo) attributes.FifoQueue = 'true';
  if (options.visibilityTimeout !== undefined) attributes.VisibilityTimeout = String(options.visibilityTimeout);
  const out = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(prefix) + (options.fifo ? '.fifo' : ''), Attributes: attributes }));
  return out.QueueUrl!;
}

export async function subscribeQueue(sns: SNSClient, sqs: SQSClient, topicArn: string, queueUrl: string, raw: boolean): Promise<void> {
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: attrs.Attributes!.QueueArn,
      Attributes: raw ? { RawMessageDelivery: 'true' } : undefined,
    }),
  );
}

/** Receives (and deletes) until `count` messages arrived or `timeoutMs` passed; then one more short poll to catch extras. */
export async function receiveAll(sqs: SQSClient, queueUrl: string, count: number, timeoutMs = 15_000): Promise<Message[]> {
  const received: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  const poll = async (wait: number) => {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: wait,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    for (const m of out.Messages ?? []) {
      received.push(m);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
    return out.Messages?.length ?? 0;
  };
  while (received.length < count && Date.now() < deadline) await poll(1);
  await poll(1);
  return received;
}

let seq = 0;
/** An OutboxMessage as the relay would hand it to a transport (no database needed). */
export function outboxMessage(overrides: Partial<OutboxMessage> & { body?: unknown } = {}): OutboxMessage {
  const { body, ...rest } = overrides;
  seq += 1;
  return {
    id: newMessageId(),
    seq: String(seq),
    subject: 'test.event',
    payload: JSON.stringify(body ?? { n: seq }),
    headers: {},
    groupKey: null,
    dedupId: null,
    createdAt: new Date(),
    attempts: 1,
    ...rest,
  };
}

export interface RecordedCall {
  command: string;
  input: Record<string, unknown>;
}

/** Records every command the client sends (name and input), before the SDK's retries. */
export function recordCalls(client: SNSClient | SQSClient): RecordedCall[] {
  const calls: RecordedCall[] = [];
  (client as SNSClient).middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'recordCalls' },
  );
  return calls;
}

/** Makes the first `times` calls of `commandName` fail with an error named `name` (as the SDK would throw it). */
export function failCalls(client: SNSClient | SQSClient, commandName: string, name: string, times = 1): void {
  let left = times;
  (client as SNSClient).middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && left > 0) {
        left -= 1;
        throw Object.assign(new Error('Rate exceeded'), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
      }
      return next(args);
    },
    { step: 'initialize', name: `fail-${name}` },
  );
}

/** Polls `condition` every 20 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Messages on the queue, visible or not (in flight). */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(out.Attributes!.ApproximateNumberOfMessages) + Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible);
}
