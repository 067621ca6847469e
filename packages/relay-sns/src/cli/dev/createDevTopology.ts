import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DevTarget } from './devTargets.js';

/** One topic or queue `outbox-relay dev` made, and where consumers read it. */
export interface DevResource {
  name: string;
  /** For sns: the topic's ARN, what OUTBOX_ROUTES points at. */
  topicArn?: string;
  /** The queue consumers read: the target itself (sqs), or the queue of the same name subscribed to the topic (sns). */
  queueUrl: string;
}

/** Where the emulator is and the fake credentials it takes (any key is accepted). */
export interface DevEndpoint {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Creates what the routes name on `endpoint` (CreateTopic and CreateQueue are idempotent, so a second run
 * finds the same ones): with sns, each topic plus a queue of the same name subscribed to it (SNS's
 * default envelope, as an AWS subscription has unless raw delivery is turned on; the consumer reads
 * both); with sqs, each queue. A name ending in `.fifo` is a FIFO topic and queue, deduplicating on the
 * outbox id the relay sends, as on AWS.
 */
export async function createDevTopology(at: DevEndpoint, transport: 'sns' | 'sqs', targets: readonly DevTarget[]): Promise<DevResource[]> {
  const config = { endpoint: at.endpoint, region: at.region, credentials: at.credentials };
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  try {
    const created: DevResource[] = [];
    for (const { name, fifo } of targets) {
      const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: fifo ? { FifoQueue: 'true' } : undefined }));
      if (transport === 'sqs') {
        created.push({ name, queueUrl: queueUrl! });
        continue;
      }
      const { TopicArn: topicArn } = await sns.send(new CreateTopicCommand({ Name: name, Attributes: fifo ? { FifoTopic: 'true' } : undefined }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
      created.push({ name, topicArn: topicArn!, queueUrl: queueUrl! });
    }
    return created;
  } finally {
    sns.destroy();
    sqs.destroy();
  }
}
