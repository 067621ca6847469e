import { performance } from 'node:perf_hooks';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Long-polling SQS consumers that note when each message (by the `n` in its body) arrived. */
export interface QueueReceiver {
  /** `n` → `performance.now()` at receipt (first receipt wins). */
  readonly received: Map<number, number>;
  /** `n` → [the queue's SentTimestamp (epoch ms: when the emulator put it in the queue), Date.now() at receipt]. */
  readonly queued: Map<number, [sentTimestamp: number, receivedEpochMs: number]>;
  stop(): Promise<void>;
}

/** Starts `loops` receive loops on `queueUrl` (10 messages, 1 s long poll); each deletes what it got. */
export function startQueueReceiver(sqs: SQSClient, queueUrl: string, loops: number): QueueReceiver {
  const received = new Map<number, number>();
  const queued = new Map<number, [number, number]>();
  let running = true;
  const loop = async () => {
    while (running) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['SentTimestamp'] }));
      const at = performance.now();
      const epochAt = Date.now();
      for (const m of Messages) {
        const n = (JSON.parse(m.Body!) as { n: number }).n;
        if (!received.has(n)) {
          received.set(n, at);
          queued.set(n, [Number(m.Attributes?.SentTimestamp ?? NaN), epochAt]);
        }
      }
      if (Messages.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
        );
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, loop));
  return {
    received,
    queued,
    async stop() {
      running = false;
      await done;
    },
  };
}
