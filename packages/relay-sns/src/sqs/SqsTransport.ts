import { GetQueueAttributesCommand, SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { publishRetryStrategy } from '../aws/publishRetryStrategy.js';
import { clientConfig } from '../aws/AwsClientOptions.js';
import type { AwsClientOptions } from '../aws/AwsClientOptions.js';
import { BrokerBatchTransport } from '../brokerBatch/BrokerBatchTransport.js';
import { FALLBACK_MAX_MESSAGE_BYTES } from '../brokerBatch/RouteLimits.js';
import type { ClaimCheckOptions } from '../claimCheck/ClaimCheckOptions.js';
import type { BrokerBatchEntry } from '../brokerBatch/BrokerBatchSender.js';
import { keepStoredAttributes } from '../brokerBatch/keepStoredAttributes.js';
import type { SqsRoutes } from '../routing/SubjectRoutes.js';

export interface SqsTransportOptions extends AwsClientOptions<SQSClient> {
  /** Subject → queue URL: a map, a function, or prefix rules `[{ prefix, queueUrl }]` (longest prefix wins). */
  routes: SqsRoutes;
  /** `SendMessageBatch` calls in flight per `publish()`: 10 sends a claimed batch of 100 in one round trip. @defaultValue 10 */
  concurrency?: number;
  /**
   * Largest message (body plus attributes, counted by `messageSize`) of every route, instead of each
   * queue's own `MaximumMessageSize`; 1024 to 1048576. A larger message is claim-checked where that is
   * on, else it waits blocked on the route's size route (over 1 MiB: `permanent`). @defaultValue each queue's, read with GetQueueAttributes (262144 when it cannot be read)
   */
  maxMessageBytes?: number;
  /** Writes messages too large for their queue (or over a threshold) to S3 and sends a pointer. @defaultValue off */
  claimCheck?: ClaimCheckOptions;
  /**
   * Where the routes came from, when not from this option's object form: a setting holding them as
   * `subject=target` text (the sidecar passes `OUTBOX_ROUTES`), so that a subject without a route is
   * reported in that syntax. @defaultValue undefined (the `routes` option)
   */
  routesSetting?: string;
}

/** What one SendMessageBatch call may total, whatever the queue's message limit. */
const SQS_MAX_BATCH_BYTES = 1_048_576;

/**
 * Sends outbox messages straight to SQS queues with `SendMessageBatch`, for services without SNS.
 * Same broker-batch splitting, attributes, FIFO keys, claim-check and error classification as
 * {@link SnsTransport}; the SQS `MessageBody` is the payload JSON text. Each queue's limit is its
 * `MaximumMessageSize` (1 MiB by default), read once; a call may total 1 MiB whatever the queue's
 * limit. `DelaySeconds` is not used (the outbox delays with `delayMs`).
 *
 * @example
 * ```ts
 * const transport = new SqsTransport({
 *   region: 'eu-west-1',
 *   routes: { 'payment.created': 'https://sqs.eu-west-1.amazonaws.com/123456789012/payments' },
 * });
 * ```
 */
export class SqsTransport extends BrokerBatchTransport<SQSClient, 'queueUrl'> {
  constructor(options: SqsTransportOptions) {
    super(options, {
      transportName: 'SqsTransport',
      tracing: { system: 'aws_sqs', operationName: 'SendMessageBatch' },
      targetKey: 'queueUrl',
      createClient: () => new SQSClient({ ...clientConfig(options), retryStrategy: publishRetryStrategy() }),
      readMaxMessageBytes: async (client, target, signal) => {
        const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: target, AttributeNames: ['MaximumMessageSize'] }), { abortSignal: signal });
        return Number(out.Attributes?.MaximumMessageSize ?? FALLBACK_MAX_MESSAGE_BYTES);
      },
      maxBatchBytes: () => SQS_MAX_BATCH_BYTES,
      sendBatch: (client, target, entries, signal) => {
        const command = new SendMessageBatchCommand({ QueueUrl: target, Entries: entries.map(toSqsEntry) });
        const stored = entries.map((e) => e.attributes);
        return client.send(keepStoredAttributes(command, (input) => (input as typeof command.input).Entries, stored), { abortSignal: signal });
      },
    });
  }
}

function toSqsEntry(entry: BrokerBatchEntry): SendMessageBatchRequestEntry {
  return {
    Id: entry.Id,
    MessageBody: entry.body,
    MessageAttributes: entry.attributes,
    MessageGroupId: entry.fifo?.groupId,
    MessageDeduplicationId: entry.fifo?.deduplicationId,
  };
}
