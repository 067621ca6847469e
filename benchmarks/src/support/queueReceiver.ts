import { performance } from 'node:perf_hooks';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One message as a receiver saw it: its `n`, the queue's SentTimestamp and the receipt time (epoch ms). */
export type Receipt = [n: number, sentTimestamp: number, receivedEpochMs: number];

/** The wall clock in ms with sub-ms precision, comparable across processes on one machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * `loops` long-poll loops on `queueUrl` (10 messages, 1 s long poll); each deletes what it got and hands
 * every receive's messages to `onReceipts`. Resolves `stop()` once the loops have left.
 */
export function receiveFromQueue(sqs: SQSClient, queueUrl: string, loops: number, onReceipts: (receipts: Receipt[]) => void): { stop(): Promise<void> } {
  let running = true;
  const loop = async () => {
    while (running) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['SentTimestamp'] }));
      const at = epochNow();
      if (Messages.length === 0) continue;
      onReceipts(Messages.map((m) => [(JSON.parse(m.Body!) as { n: number }).n, Number(m.Attributes?.SentTimestamp ?? NaN), at]));
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }),
      );
    }
  };
  const done = Promise.all(Array.from({ length: loops }, loop));
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}
