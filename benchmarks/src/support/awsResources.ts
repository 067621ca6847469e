import { CreateTopicCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Creates (or finds) a standard SNS topic; returns its ARN. */
export async function createTopic(sns: SNSClient, name: string): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  return TopicArn!;
}

/** A topic with one SQS queue subscribed with raw delivery (the body arrives as published). */
export async function createSubscribedQueue(sns: SNSClient, sqs: SQSClient, name: string): Promise<{ topicArn: string; queueUrl: string }> {
  const topicArn = await createTopic(sns, name);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn!, Attributes: { RawMessageDelivery: 'true' } }),
  );
  return { topicArn, queueUrl: QueueUrl! };
}
