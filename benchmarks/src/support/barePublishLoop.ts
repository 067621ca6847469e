import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { FILLER_BYTES } from '../sql/seedMessages.js';
import { rate } from './stopwatch.js';

/**
 * The broker bound: `concurrency` loops sending PublishBatch calls of 10 entries shaped like the
 * relay's (same payload size, same two attributes) until `messages` are published. No database.
 */
export async function barePublishLoop(sns: SNSClient, topicArn: string, messages: number, concurrency: number): Promise<{ ms: number; msgPerSec: number }> {
  const calls = Math.ceil(messages / 10);
  let issued = 0;
  const entries = () =>
    Array.from({ length: 10 }, (_, i) => ({
      Id: String(i),
      Message: JSON.stringify({ n: i, kind: 'order.created', data: 'x'.repeat(FILLER_BYTES) }),
      MessageAttributes: {
        'outbox-message-id': { DataType: 'String', StringValue: randomUUID() },
        subject: { DataType: 'String', StringValue: 'bench.order.created' },
      },
    }));
  const worker = async () => {
    while (issued < calls) {
      issued++;
      const reply = await sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries() }));
      if ((reply.Failed ?? []).length > 0) throw new Error(`bare PublishBatch: ${reply.Failed!.length} entries failed`);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - start;
  return { ms, msgPerSec: rate(calls * 10, ms) };
}
