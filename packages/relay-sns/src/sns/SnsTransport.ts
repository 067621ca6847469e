import { GetTopicAttributesCommand, PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { publishRetryStrategy } from '../aws/publishRetryStrategy.js';
import { clientConfig } from '../aws/AwsClientOptions.js';
import type { AwsClientOptions } from '../aws/AwsClientOptions.js';
import { BrokerBatchTransport } from '../brokerBatch/BrokerBatchTransport.js';
import { FALLBACK_MAX_MESSAGE_BYTES } from '../brokerBatch/RouteLimits.js';
import type { ClaimCheckOptions } from '../claimCheck/ClaimCheckOptions.js';
import type { BrokerBatchEntry } from '../brokerBatch/BrokerBatchSender.js';
import { keepStoredAttributes } from '../brokerBatch/keepStoredAttributes.js';
import type { SnsRoutes } from '../routing/SubjectRoutes.js';

export interface SnsTransportOptions extends AwsClientOptions<SNSClient> {
  /** Subject → topic ARN: a map, a function, or prefix rules `[{ prefix, topicArn }]` (longest prefix wins). */
  routes: SnsRoutes;
  /** `PublishBatch` calls in flight per `publish()`: 10 sends a claimed batch of 100 in one round trip. @defaultValue 10 */
  concurrency?: number;
  /**
   * Largest message (body plus attributes, counted by `messageSize`) of every route, instead of each
   * topic's own `MaximumMessageSize`; 1024 to 1048576. A larger message is claim-checked where that is
   * on, else it waits blocked on the route's size route (over 1 MiB: `permanent`). @defaultValue each topic's, read with GetTopicAttributes (262144 when it cannot be read)
   */
  maxMessageBytes?: number;
  /** Writes messages too large for their topic (or over a threshold) to S3 and publishes a pointer. @defaultValue off */
  claimCheck?: ClaimCheckOptions;
  /**
   * Where the routes came from, when not from this option's object form: a setting holding them as
   * `subject=target` text (the sidecar passes `OUTBOX_ROUTES`), so that a subject without a route is
   * reported in that syntax. @defaultValue undefined (the `routes` option)
   */
  routesSetting?: string;
}

/**
 * Publishes outbox messages to SNS topics with `PublishBatch` (≤10 entries, and in all at most the
 * topic's `MaximumMessageSize` per call, several calls in flight), reading each entry's result.
 *
 * Each topic's limit is read once, the first time it is used (or at the relay's start): 256 KiB by
 * default, up to 1 MiB when its `MaximumMessageSize` is raised. A message over it goes through S3 when
 * `claimCheck` covers the topic (the pointer format of AWS's extended clients), else it waits, blocked on `<topic> (size limit)` (over 1 MiB: `permanent`).
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
export class SnsTransport extends BrokerBatchTransport<SNSClient, 'topicArn'> {
  constructor(options: SnsTransportOptions) {
    super(options, {
      transportName: 'SnsTransport',
      tracing: { system: 'aws_sns', operationName: 'PublishBatch' },
      targetKey: 'topicArn',
      createClient: () => new SNSClient({ ...clientConfig(options), retryStrategy: publishRetryStrategy() }),
      readMaxMessageBytes: async (client, target, signal) => {
        const out = await client.send(new GetTopicAttributesCommand({ TopicArn: target }), { abortSignal: signal });
        // SNS returns the attribute only when it was set; a topic without it takes 256 KiB.
        return Number(out.Attributes?.MaximumMessageSize ?? FALLBACK_MAX_MESSAGE_BYTES);
      },
      // A PublishBatch call may total what one message of the topic may be.
      maxBatchBytes: (maxMessageBytes) => maxMessageBytes,
      sendBatch: (client, target, entries, signal) => {
        const command = new PublishBatchCommand({ TopicArn: target, PublishBatchRequestEntries: entries.map(toSnsEntry) });
        const stored = entries.map((e) => e.attributes);
        return client.send(keepStoredAttributes(command, (input) => (input as typeof command.input).PublishBatchRequestEntries, stored), { abortSignal: signal });
      },
    });
  }
}

function toSnsEntry(entry: BrokerBatchEntry): PublishBatchRequestEntry {
  return {
    Id: entry.Id,
    Message: entry.body,
    MessageAttributes: entry.attributes,
    MessageGroupId: entry.fifo?.groupId,
    MessageDeduplicationId: entry.fifo?.deduplicationId,
  };
}
