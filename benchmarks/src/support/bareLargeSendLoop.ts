import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { rate } from './stopwatch.js';

/** What one SendMessageBatch call may total (SQS). */
const SQS_CALL_BYTES = 1_048_576;

/**
 * The bound for large messages: `concurrency` loops sending SendMessageBatch calls of payloads of
 * `fillerBytes`, as many per call as 10 entries and 1 MiB allow, shaped like the relay's (same two
 * attributes). With `claimCheck`, each payload is first written to S3 (the call's in parallel) and the
 * call carries extended-client pointers. No database. CPU is this process's over the loop.
 */
export async function bareLargeSendLoop(
  sqs: SQSClient,
  queueUrl: string,
  options: { messages: number; fillerBytes: number; concurrency: number; claimCheck?: { s3: S3Client; bucket: string } },
): Promise<{ ms: number; msgPerSec: number; cpuMicrosPerMessage: number; perCall: number }> {
  const { messages, fillerBytes, concurrency, claimCheck } = options;
  const payload = (n: number) => JSON.stringify({ n, data: 'x'.repeat(fillerBytes), kind: 'order.created' });
  const perCall = claimCheck ? 10 : Math.max(1, Math.min(10, Math.floor(SQS_CALL_BYTES / (fillerBytes + 200))));
  let issued = 0;
  const worker = async () => {
    while (issued < messages) {
      const count = Math.min(perCall, messages - issued);
      issued += count;
      const entries = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const id = randomUUID();
          const attributes = {
            'outbox-message-id': { DataType: 'String', StringValue: id },
            subject: { DataType: 'String', StringValue: 'bench.large' },
          };
          const body = payload(i);
          if (!claimCheck) return { Id: String(i), MessageBody: body, MessageAttributes: attributes };
          await claimCheck.s3.send(new PutObjectCommand({ Bucket: claimCheck.bucket, Key: id, Body: body, ContentType: 'application/json' }));
          const pointer = JSON.stringify(['software.amazon.payloadoffloading.PayloadS3Pointer', { s3BucketName: claimCheck.bucket, s3Key: id }]);
          return { Id: String(i), MessageBody: pointer, MessageAttributes: { ...attributes, ExtendedPayloadSize: { DataType: 'Number', StringValue: String(Buffer.byteLength(body)) } } };
        }),
      );
      const reply = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if ((reply.Failed ?? []).length > 0) throw new Error(`bare SendMessageBatch: ${reply.Failed!.length} entries failed (${reply.Failed![0]!.Code})`);
    }
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, msgPerSec: rate(messages, ms), cpuMicrosPerMessage: (used.user + used.system) / messages, perCall };
}
