import { CreateTopicCommand, DeleteTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface Topology {
  topicArn: string;
  queueUrl: string;
  /** Deletes the topic and the queue. */
  remove(): Promise<void>;
}

/**
 * A topic for payment events and a queue subscribed to it with raw message delivery (the SQS body
 * is the event JSON, the outbox attributes are SQS message attributes; the consumer decodes the SNS
 * envelope too, so either setting works). On real AWS the queue also needs a policy allowing the topic
 * to send to it; the local endpoint does not check one.
 */
export async function createTopology(endpoint: string, suffix: string): Promise<Topology> {
  const sns = new SNSClient({ endpoint });
  const sqs = new SQSClient({ endpoint });
  try {
    const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: `tx-outbox-demo-payments-${suffix}` }));
    const { QueueUrl: queueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `tx-outbox-demo-notifications-${suffix}`, Attributes: { VisibilityTimeout: '10' } }),
    );
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: attributes.Attributes!.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    return {
      topicArn: topicArn!,
      queueUrl: queueUrl!,
      async remove() {
        const s = new SNSClient({ endpoint });
        const q = new SQSClient({ endpoint });
        await Promise.allSettled([s.send(new DeleteTopicCommand({ TopicArn: topicArn })), q.send(new DeleteQueueCommand({ QueueUrl: queueUrl }))]);
        s.destroy();
        q.destroy();
      },
    };
  } finally {
    sns.destroy();
    sqs.destroy();
  }
}
