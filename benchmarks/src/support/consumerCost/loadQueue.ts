import { CreateQueueCommand, DeleteQueueCommand, SendMessageBatchCommand, type SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { newMessageId } from '@tx-outbox/outbox-core/internal';

/** SendMessageBatch calls in flight while the queue is filled. */
const LOAD_CONCURRENCY = 16;

/** A queue of its own for one run (SQS's default 30 s visibility timeout). Returns its URL. */
export async function createRunQueue(sqs: SQSClient, name: string): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
}

export async function deleteRunQueue(sqs: SQSClient, queueUrl: string): Promise<void> {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
}

/**
 * Fills the queue with `messages` outbox messages shaped as SqsTransport sends them (the body, the
 * `outbox-message-id` and `subject` attributes). A `duplicateShare` of them is sent twice, the copies
 * side by side in one batch, so both are received together and are in flight at once (a relay that
 * published a batch again, or SNS delivering twice). Returns the deliveries: messages plus copies.
 */
export async function loadQueue(sqs: SQSClient, queueUrl: string, messages: number, duplicateShare = 0): Promise<number> {
  const entries: SendMessageBatchRequestEntry[] = [];
  const everyNth = duplicateShare > 0 ? Math.round(1 / duplicateShare) : 0;
  for (let n = 0; n < messages; n++) {
    const entry = {
      Id: '',
      MessageBody: JSON.stringify({ orderId: `o-${n}`, amount: 1250, currency: 'EUR', lines: [{ sku: 'sku-1', quantity: 2 }] }),
      MessageAttributes: {
        'outbox-message-id': { DataType: 'String', StringValue: newMessageId() },
        subject: { DataType: 'String', StringValue: 'bench.order.placed' },
      },
    };
    entries.push(entry);
    if (everyNth > 0 && n % everyNth === everyNth - 1) entries.push({ ...entry });
  }
  // A copy never starts a batch: it always shares one with its original.
  const batches: SendMessageBatchRequestEntry[][] = [];
  for (let i = 0; i < entries.length; ) {
    let end = Math.min(i + 10, entries.length);
    if (end < entries.length && sameMessage(entries[end - 1]!, entries[end]!)) end -= 1;
    batches.push(entries.slice(i, end).map((e, j) => ({ ...e, Id: String(j) })));
    i = end;
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch }));
      if ((out.Failed ?? []).length > 0) throw new Error(`SendMessageBatch refused ${out.Failed!.length} entries`);
    }
  };
  await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
  return entries.length;
}

function sameMessage(a: SendMessageBatchRequestEntry, b: SendMessageBatchRequestEntry): boolean {
  return a.MessageAttributes?.['outbox-message-id']?.StringValue === b.MessageAttributes?.['outbox-message-id']?.StringValue;
}
