import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { OutboxMessage, PublishOptions, PublishResult, Transport } from '@tx-outbox/outbox-core';
import { clientConfig } from '../aws/AwsClientOptions.js';
import type { AwsClientOptions } from '../aws/AwsClientOptions.js';
import { BatchPublisher, checkTransportOptions } from '../batching/BatchPublisher.js';
import type { BatchEntry } from '../batching/BatchPublisher.js';
import { createSubjectRouter } from '../routing/SubjectRoutes.js';
import type { SqsRoutes } from '../routing/SubjectRoutes.js';

export interface SqsTransportOptions extends AwsClientOptions<SQSClient> {
  /** Subject → queue URL: a map, a function, or prefix rules `[{ prefix, queueUrl }]` (longest prefix wins). */
  routes: SqsRoutes;
  /** `SendMessageBatch` calls in flight per `publish()`. @defaultValue 8 */
  concurrency?: number;
  /** Largest message (body plus attributes, counted by `messageSize`); larger ones are `permanent`. @defaultValue 262144 */
  maxMessageBytes?: number;
}

/**
 * Sends outbox messages straight to SQS queues with `SendMessageBatch`, for services without SNS.
 * Same packing, attributes, FIFO keys and error classification as {@link SnsTransport}; the SQS
 * `MessageBody` is the payload JSON text. `DelaySeconds` is not used (the outbox delays with `delayMs`).
 *
 * @example
 * ```ts
 * const transport = new SqsTransport({
 *   region: 'eu-west-1',
 *   routes: { 'payment.created': 'https://sqs.eu-west-1.amazonaws.com/123456789012/payments' },
 * });
 * ```
 */
export class SqsTransport implements Transport {
  private readonly client: SQSClient;
  private readonly ownsClient: boolean;
  private readonly publisher: BatchPublisher;

  constructor(options: SqsTransportOptions) {
    const { concurrency, maxMessageBytes } = checkTransportOptions(options);
    const router = createSubjectRouter(options.routes, 'queueUrl');
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new SQSClient(clientConfig(options));
    this.publisher = new BatchPublisher({
      transportName: 'SqsTransport',
      router,
      concurrency,
      maxMessageBytes,
      sendBatch: (queueUrl, entries) =>
        this.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map(toSqsEntry) })),
    });
  }

  /** Sends the messages; one result per message, never throws for a per-message problem. */
  publish(messages: readonly OutboxMessage[], options: PublishOptions): Promise<PublishResult[]> {
    return this.publisher.publish(messages, options);
  }

  /** Destroys the client if this transport created it. */
  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}

function toSqsEntry(entry: BatchEntry): SendMessageBatchRequestEntry {
  return {
    Id: entry.Id,
    MessageBody: entry.body,
    MessageAttributes: entry.attributes,
    MessageGroupId: entry.fifo?.groupId,
    MessageDeduplicationId: entry.fifo?.deduplicationId,
  };
}
