import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import type { OutboxMessage, PublishOptions, PublishResult, Transport } from '@tx-outbox/outbox-core';
import { clientConfig } from '../aws/AwsClientOptions.js';
import type { AwsClientOptions } from '../aws/AwsClientOptions.js';
import { BatchPublisher, checkTransportOptions } from '../batching/BatchPublisher.js';
import type { BatchEntry } from '../batching/BatchPublisher.js';
import { createSubjectRouter } from '../routing/SubjectRoutes.js';
import type { SnsRoutes } from '../routing/SubjectRoutes.js';

export interface SnsTransportOptions extends AwsClientOptions<SNSClient> {
  /** Subject → topic ARN: a map, a function, or prefix rules `[{ prefix, topicArn }]` (longest prefix wins). */
  routes: SnsRoutes;
  /** `PublishBatch` calls in flight per `publish()`. @defaultValue 8 */
  concurrency?: number;
  /** Largest message (body plus attributes, counted by `messageSize`); larger ones are `permanent`. @defaultValue 262144 */
  maxMessageBytes?: number;
}

/**
 * Publishes outbox messages to SNS topics with `PublishBatch` (≤10 entries and ≤256 KiB per call,
 * several calls in flight), reading each entry's result.
 *
 * Every message carries its headers plus the `outbox-message-id` and `subject` attributes; the SNS
 * `Message` is the payload JSON text as is. On FIFO topics (ARN ending in `.fifo`) `MessageGroupId`
 * is the `groupKey` (the subject when there is none) and `MessageDeduplicationId` the `dedupId` (the
 * outbox id when there is none).
 *
 * @example
 * ```ts
 * const transport = new SnsTransport({
 *   region: 'eu-west-1',
 *   routes: [{ prefix: 'payment.', topicArn: 'arn:aws:sns:eu-west-1:123456789012:payments' }],
 * });
 * const relay = new Relay({ store, transport });
 * ```
 */
export class SnsTransport implements Transport {
  private readonly client: SNSClient;
  private readonly ownsClient: boolean;
  private readonly publisher: BatchPublisher;

  constructor(options: SnsTransportOptions) {
    const { concurrency, maxMessageBytes } = checkTransportOptions(options);
    const router = createSubjectRouter(options.routes, 'topicArn');
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new SNSClient(clientConfig(options));
    this.publisher = new BatchPublisher({
      transportName: 'SnsTransport',
      router,
      concurrency,
      maxMessageBytes,
      sendBatch: (topicArn, entries) =>
        this.client.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries.map(toSnsEntry) })),
    });
  }

  /** Publishes the messages; one result per message, never throws for a per-message problem. */
  publish(messages: readonly OutboxMessage[], options: PublishOptions): Promise<PublishResult[]> {
    return this.publisher.publish(messages, options);
  }

  /** Destroys the client if this transport created it. */
  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}

function toSnsEntry(entry: BatchEntry): PublishBatchRequestEntry {
  return {
    Id: entry.Id,
    Message: entry.body,
    MessageAttributes: entry.attributes,
    MessageGroupId: entry.fifo?.groupId,
    MessageDeduplicationId: entry.fifo?.deduplicationId,
  };
}
