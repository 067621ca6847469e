// AWS's own answers, replayed from a local server in their wire form (fixtures/awsAnswers.ts cites where
// each was recorded), through the real SDK clients and transports: what blocks a route and what
// dead-letters a message must follow what AWS says, not what an emulator says.
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SnsTransport, SqsTransport } from '../src/index.js';
import { SNS_MESSAGE_TOO_LONG, SNS_TOPIC_OF_ANOTHER_REGION, SQS_MESSAGE_TOO_LONG, SQS_QUEUE_DOES_NOT_EXIST } from './fixtures/awsAnswers.js';
import { awsConfig, createQueue, createTopic, outboxMessage } from './support/aws.js';
import { startAwsReplay, type AwsReplay } from './support/awsReplay.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const open: Array<{ close(): unknown } | { destroy(): unknown }> = [];
afterEach(async () => {
  for (const item of open.splice(0)) await ('close' in item ? item.close() : item.destroy());
});
async function replay(...args: Parameters<typeof startAwsReplay>): Promise<AwsReplay> {
  const server = await startAwsReplay(...args);
  open.push(server);
  return server;
}
const calls = (server: AwsReplay, action: string) => server.requests.filter((r) => r.body.includes(action)).length;

describe('SNS answers (query protocol, XML)', () => {
  it('blocks the route on "400 InvalidParameter: Invalid parameter: TopicArn" and sends no entry alone (3 of 3 wait, none dead)', async () => {
    const server = await replay(() => SNS_TOPIC_OF_ANOTHER_REGION);
    // maxMessageBytes: no GetTopicAttributes first, so the refusal is PublishBatch's (largeMessages.test.ts has the read's).
    const transport = new SnsTransport({ endpoint: server.endpoint, region: 'us-east-1', routes: () => 'arn:aws:sns:us-east-1:123456789012:orders', maxMessageBytes: 262_144 });
    open.push(transport as unknown as { close(): unknown });
    const messages = [1, 2, 3].map(() => outboxMessage({ subject: 'order.created' }));

    const results = await transport.publish(messages, { ordered: false });

    expect(results.map((r) => r.status)).toEqual(['blocked', 'blocked', 'blocked']);
    expect(results[0]).toMatchObject({ route: 'arn:aws:sns:us-east-1:123456789012:orders', code: 'InvalidParameter', error: expect.stringContaining('Invalid parameter: TopicArn') });
    // One call: a refused target is not resent entry by entry as content would be.
    expect(calls(server, 'Action=PublishBatch')).toBe(1);
  });

  it('an entry SNS refuses alone with "Invalid parameter: Message too long" though it fits the topic waits on the size route (none dead); the rest of its call is sent', async () => {
    const endpoint = inject('awsEndpoint');
    const sns = new SNSClient(awsConfig());
    open.push(sns);
    const topicArn = await createTopic(sns, 'too-long');
    const server = await replay((request) => (request.body.includes('PublishBatch') && request.body.includes('tooLong') ? SNS_MESSAGE_TOO_LONG : undefined), endpoint);
    const transport = new SnsTransport({ endpoint: server.endpoint, region: 'us-east-1', routes: () => topicArn });
    open.push(transport as unknown as { close(): unknown });
    const messages = [{ ok: 1 }, { tooLong: true }, { ok: 2 }].map((body) => outboxMessage({ subject: 'x', body }));

    const results = await transport.publish(messages, { ordered: false });

    expect(results.map((r) => r.status)).toEqual(['sent', 'blocked', 'sent']);
    expect(results[1]).toMatchObject({ route: `${topicArn} (size limit)`, code: 'InvalidParameter', error: expect.stringMatching(/Message too long.*the topic's configured limit is lower than the setting/) });
  });
});

describe('SQS answers (AWS JSON 1.0, code in x-amzn-query-error)', () => {
  it('blocks the route on the documented QueueDoesNotExist answer', async () => {
    const server = await replay(() => SQS_QUEUE_DOES_NOT_EXIST);
    const queueUrl = `${server.endpoint}/123456789012/orders`;
    const transport = new SqsTransport({ client: new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials }), routes: () => queueUrl });
    const [a, b] = await transport.publish([outboxMessage(), outboxMessage()], { ordered: false });

    expect(server.requests[0]!.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(a).toMatchObject({ status: 'blocked', route: queueUrl, error: expect.stringContaining('The specified queue does not exist') });
    expect(b).toMatchObject({ status: 'blocked' });
  });

  it('an entry SQS refuses alone with InvalidParameterValue "Message must be shorter than 262144 bytes" though it fits the queue waits on the size route (none dead)', async () => {
    const endpoint = inject('awsEndpoint');
    const sqs = new SQSClient(awsConfig());
    open.push(sqs);
    const realQueue = await createQueue(sqs, 'too-long');
    const server = await replay((request) => (request.body.includes('tooLong') ? SQS_MESSAGE_TOO_LONG : undefined), endpoint);
    const client = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    open.push(client);
    const transport = new SqsTransport({ client, routes: () => realQueue });
    const messages = [{ ok: 1 }, { tooLong: true }, { ok: 2 }].map((body) => outboxMessage({ subject: 'x', body }));

    const results = await transport.publish(messages, { ordered: false });

    expect(results.map((r) => r.status)).toEqual(['sent', 'blocked', 'sent']);
    expect(results[1]).toMatchObject({ route: `${realQueue} (size limit)`, error: expect.stringMatching(/Message must be shorter than 262144 bytes.*the queue's configured limit is lower than the setting/) });
  });
});

describe('a target of another region or partition is blocked at route check, before any call', () => {
  it.each([
    ['SNS, another region', 'us-east-1', 'arn:aws:sns:eu-west-1:123456789012:orders', 'RouteInAnotherRegion', /topic of eu-west-1, but the client is in us-east-1.*Invalid parameter: TopicArn/],
    ['SNS, another partition', 'us-east-1', 'arn:aws-cn:sns:cn-north-1:123456789012:orders', 'RouteInAnotherPartition', /partition aws-cn, but the client is in us-east-1/],
    ['SNS, an ARN whose partition is not its region\'s', 'cn-north-1', 'arn:aws:sns:cn-north-1:123456789012:orders', 'RouteInAnotherPartition', /names partition aws, but its region cn-north-1 is in aws-cn/],
  ])('%s', async (_, region, topicArn, code, reason) => {
    const server = await replay(() => SNS_TOPIC_OF_ANOTHER_REGION);
    const client = new SNSClient({ endpoint: server.endpoint, region, credentials });
    open.push(client);
    const otherArn = `arn:${region.startsWith('cn-') ? 'aws-cn' : 'aws'}:sns:${region}:123456789012:other`;
    const transport = new SnsTransport({ client, routes: { 'order.created': topicArn, other: otherArn } });

    const [wrong, right] = await transport.publish([outboxMessage({ subject: 'order.created' }), outboxMessage({ subject: 'other' })], { ordered: false });

    expect(wrong).toMatchObject({ status: 'blocked', route: topicArn, code, error: expect.stringMatching(reason) });
    // The other route was tried (and got the replayed answer); the wrong one never was.
    expect(right).toMatchObject({ status: 'blocked', route: otherArn, code: 'InvalidParameter' });
    expect(server.requests.every((r) => !decodeURIComponent(r.body).includes(topicArn))).toBe(true);
  });

  it('SQS, a queue URL of another region', async () => {
    const server = await replay(() => SQS_QUEUE_DOES_NOT_EXIST);
    const client = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    open.push(client);
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
    const transport = new SqsTransport({ client, routes: () => queueUrl });

    const [result] = await transport.publish([outboxMessage()], { ordered: false });

    expect(result).toMatchObject({ status: 'blocked', route: queueUrl, code: 'RouteInAnotherRegion', error: expect.stringMatching(/queue of eu-west-1, but the client is in us-east-1/) });
    expect(server.requests).toHaveLength(0);
  });
});
