import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

/** How one bare loop hands a received batch on: resolves to the messages to delete. */
export type BatchHandler = (messages: Message[]) => Promise<Message[]>;

/**
 * The floor, and the loop other consumer libraries run: `loops` loops of ReceiveMessage (10), the
 * batch's handlers, one DeleteMessageBatch of the handled ones, until `done()` holds. The open long
 * poll of a loop that finds the queue empty is aborted once another loop has finished the work.
 */
export async function bareReceiveLoop(sqs: SQSClient, queueUrl: string, loops: number, handle: BatchHandler, done: () => boolean): Promise<void> {
  const abort = new AbortController();
  const loop = async () => {
    while (!done()) {
      let messages: Message[];
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
          { abortSignal: abort.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (abort.signal.aborted) return;
        throw error;
      }
      const handled = await handle(messages);
      if (handled.length > 0) {
        const Entries = handled.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
        const out = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries }));
        if ((out.Failed ?? []).length > 0) throw new Error(`DeleteMessageBatch refused ${out.Failed!.length} entries`);
      }
    }
    abort.abort();
  };
  await Promise.all(Array.from({ length: loops }, loop));
}

/** Runs `handler` on every message of a batch at once; resolves to those it handled (a throw leaves one for redelivery). */
export function eachMessage(handler: (message: Message) => Promise<unknown>): BatchHandler {
  return async (messages) => {
    const settled = await Promise.allSettled(messages.map((m) => handler(m)));
    return messages.filter((_, i) => settled[i]!.status === 'fulfilled');
  };
}
