import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, type BatchResultErrorEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { EntryOutcome } from './EntryBatcher.js';
import { SqsEntryRefusedError } from './SqsEntryRefusedError.js';

/** One ChangeMessageVisibilityBatch entry: the message and its new visibility timeout from now, in seconds. */
export interface VisibilityChange {
  receiptHandle: string;
  seconds: number;
}

/** Deletes up to 10 messages in one DeleteMessageBatch call; each entry's outcome, in order. */
export async function deleteMessages(client: SQSClient, queueUrl: string, receiptHandles: readonly string[], signal?: AbortSignal): Promise<EntryOutcome[]> {
  const Entries = receiptHandles.map((ReceiptHandle, i) => ({ Id: String(i), ReceiptHandle }));
  const out = await client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries }), { abortSignal: signal });
  return outcomes('DeleteMessageBatch', Entries.length, out.Failed);
}

/** Sets the visibility of up to 10 messages in one ChangeMessageVisibilityBatch call; each entry's outcome, in order. */
export async function changeVisibilities(client: SQSClient, queueUrl: string, changes: readonly VisibilityChange[], signal?: AbortSignal): Promise<EntryOutcome[]> {
  const Entries = changes.map((c, i) => ({ Id: String(i), ReceiptHandle: c.receiptHandle, VisibilityTimeout: c.seconds }));
  const out = await client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries }), { abortSignal: signal });
  return outcomes('ChangeMessageVisibilityBatch', Entries.length, out.Failed);
}

// An entry SQS lists neither as successful nor as failed is taken as done: SQS answers every entry,
// and resending a delete or a visibility change it did apply is harmless only while the handle is valid.
function outcomes(operation: string, count: number, failed: BatchResultErrorEntry[] | undefined): EntryOutcome[] {
  const result: EntryOutcome[] = Array.from({ length: count }, () => ({ ok: true }));
  for (const entry of failed ?? []) {
    const index = Number(entry.Id);
    if (!Number.isInteger(index) || index < 0 || index >= count) continue;
    const senderFault = entry.SenderFault !== false;
    result[index] = { ok: false, error: new SqsEntryRefusedError(operation, entry.Code ?? 'UnknownError', senderFault, entry.Message), retry: !senderFault };
  }
  return result;
}
