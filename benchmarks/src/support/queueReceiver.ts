import { performance } from 'node:perf_hooks';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Long-polling SQS consumers that note when each message (by the `n` in its body) arrived. */
export interface QueueReceiver {
  /** `n` → `performance.now()` at receipt (first receipt wins). */
  readonly received: Map<number, number>;
  stop(): Promise<void>;
}

/** Starts `loops` receive loops on `queueUrl` (10 messages, 1 s long poll); each deletes what it got. */
export function startQueueReceiver(sqs: SQSClient, queueUrl: string, loops: number): QueueReceiver {
  const received = new Map<number, number>();
  let running = true;
  const loop = async () => {
    while (running) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      const at = performance.now();
      for (const m of Messages) {
        const n = (JSON.parse(m.Body!) as { n: number }).n;
        if (!received.has(n)) received.set(n, at);
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
    async stop() {
      running = false;
      await done;
    },
  };
}
