// Large messages against fauxqs (SNS, SQS and S3 on one endpoint), with the real SDK clients.
// fauxqs enforces SNS's default 256 KiB and each queue's MaximumMessageSize, but does not take a
// topic's MaximumMessageSize (SetTopicAttributes refuses the name): a raised topic is a stubbed
// GetTopicAttributes answer below, and the emulator's own refusal then plays a topic set lower.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import type { RouteBlock } from '@tx-outbox/outbox-core';
import { newMessageId } from '@tx-outbox/outbox-core/internal';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SnsTransport, SqsConsumer, SqsTransport, createSqsLambdaHandler, outboxMessageHandler } from '../src/index.js';
import type { ConsumedMessage, SqsConsumerErrorContext, SqsEvent, SqsLambdaErrorContext } from '../src/index.js';
import { awsConfig, createQueue, createTopic, outboxMessage, receiveAll, recordCalls, subscribeQueue, uniqueName, waitFor } from './support/aws.js';

const KiB = 1024;
const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';

let sns: SNSClient;
let sqs: SQSClient;
let s3: S3Client;
let bucket: string;
const open: Array<{ close?(): unknown; stop?(): unknown; destroy?(): unknown }> = [];

beforeAll(async () => {
  sns = new SNSClient(awsConfig());
  sqs = new SQSClient(awsConfig());
  s3 = new S3Client({ ...awsConfig(), forcePathStyle: true });
  bucket = uniqueName('payloads');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterEach(async () => {
  for (const o of open.splice(0)) await (o.stop?.() ?? o.close?.() ?? o.destroy?.());
});
afterAll(() => {
  sns.destroy();
  sqs.destroy();
  s3.destroy();
});

/** A body whose payload JSON text is about `bytes` long. */
function sized(bytes: number, tag = 'x'): { tag: string; pad: string } {
  return { tag, pad: tag.repeat(bytes - 30) };
}

function track<T extends { close?(): unknown; stop?(): unknown; destroy?(): unknown }>(thing: T): T {
  open.push(thing);
  return thing;
}

async function readObject(key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString('utf-8');
}

describe('per-route limits', () => {
  it('delivers 300 KiB and 900 KiB messages to an SQS queue intact, with the limit read from the queue', async () => {
    const queueUrl = await createQueue(sqs, 'large-sqs');
    const client = track(new SQSClient(awsConfig()));
    const calls = recordCalls(client);
    const transport = new SqsTransport({ client, routes: () => queueUrl });
    const messages = [outboxMessage({ body: sized(300 * KiB, 'a') }), outboxMessage({ body: sized(900 * KiB, 'b') })];

    const results = await transport.publish(messages, { ordered: false });

    expect(results.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(calls.filter((c) => c.command === 'GetQueueAttributesCommand')).toHaveLength(1);
    const received = await receiveAll(sqs, queueUrl, 2);
    expect(received.map((m) => m.Body).sort()).toEqual(messages.map((m) => m.payload).sort());
  });

  it("splits one batch of mixed sizes by each service's call total: 1 MiB to SQS, the topic's 256 KiB to SNS", async () => {
    const queueUrl = await createQueue(sqs, 'split-sqs');
    const topicArn = await createTopic(sns, 'split-sns');
    const topicQueue = await createQueue(sqs, 'split-sns-sub');
    await subscribeQueue(sns, sqs, topicArn, topicQueue, true);
    const sqsClient = track(new SQSClient(awsConfig()));
    const snsClient = track(new SNSClient(awsConfig()));
    const sqsCalls = recordCalls(sqsClient);
    const snsCalls = recordCalls(snsClient);
    const sizes = [100, 100, 5, 100, 40, 100].map((k) => k * KiB);
    const messages = sizes.map((bytes, i) => outboxMessage({ body: sized(bytes, String.fromCharCode(97 + i)) }));

    const [toQueue, toTopic] = await Promise.all([
      new SqsTransport({ client: sqsClient, routes: () => queueUrl }).publish(messages, { ordered: false }),
      new SnsTransport({ client: snsClient, routes: () => topicArn }).publish(messages, { ordered: false }),
    ]);

    expect(toQueue.map((r) => r.status)).toEqual(Array(6).fill('sent'));
    expect(toTopic.map((r) => r.status)).toEqual(Array(6).fill('sent'));
    // 445 KiB in all: one SendMessageBatch (≤ 1 MiB); PublishBatch calls of ≤ 256 KiB: 205 KiB, then 240 KiB.
    const perCall = (calls: typeof sqsCalls, command: string, key: string) =>
      calls.filter((c) => c.command === command).map((c) => (c.input[key] as unknown[]).length);
    expect(perCall(sqsCalls, 'SendMessageBatchCommand', 'Entries')).toEqual([6]);
    expect(perCall(snsCalls, 'PublishBatchCommand', 'PublishBatchRequestEntries')).toEqual([3, 3]);
    expect(await receiveAll(sqs, queueUrl, 6)).toHaveLength(6);
    expect(await receiveAll(sqs, topicQueue, 6)).toHaveLength(6);
  });

  it("holds a message over its queue's MaximumMessageSize on the route's size route (blocked, named, not dead); the rest go", async () => {
    const out = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('small-queue'), Attributes: { MaximumMessageSize: String(256 * KiB) } }));
    const queueUrl = out.QueueUrl!;
    const transport = track(new SqsTransport({ ...awsConfig(), routes: () => queueUrl }));
    const large = outboxMessage({ body: sized(300 * KiB) });
    const small = outboxMessage({ body: { n: 1 } });

    const [a, b] = await transport.publish([large, small], { ordered: false });

    expect(a).toMatchObject({ status: 'blocked', route: `${queueUrl} (size limit)`, code: 'MessageTooLarge' });
    expect('error' in a! && a.error).toMatch(/^MessageTooLargeError: .*over the limit of 262144 bytes.*Route .* takes at most 262144 bytes \(its MaximumMessageSize\).*claim-check/);
    expect(b).toMatchObject({ status: 'sent', route: queueUrl });
    expect((await receiveAll(sqs, queueUrl, 1)).map((m) => m.Body)).toEqual([small.payload]);
  });

  it('refuses a message over 1 MiB to a route without claim-check as permanent: no topic or queue carries it inline', async () => {
    const queueUrl = await createQueue(sqs, 'over-mib');
    const transport = track(new SqsTransport({ ...awsConfig(), routes: () => queueUrl }));
    const huge = outboxMessage({ body: sized(1_100 * KiB) });

    const [result] = await transport.publish([huge], { ordered: false });

    expect(result).toMatchObject({ status: 'permanent', error: expect.stringMatching(/^MessageTooLargeError: .*No SNS topic or SQS queue carries more than 1048576 bytes inline\. Turn on claim-check/) });
    expect(await receiveAll(sqs, queueUrl, 1, 2_000)).toHaveLength(0);
  });

  it('a topic whose MaximumMessageSize reads 1 MiB gets 300 KiB inline; when the topic refuses it as too long, it waits on the size route (none dead)', async () => {
    const topicArn = await createTopic(sns, 'raised');
    const client = track(new SNSClient(awsConfig()));
    const calls = recordCalls(client);
    // The answer AWS gives for a raised topic (fauxqs does not keep the attribute).
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const out = (await next(args)) as { output: { Attributes?: Record<string, string> } };
        if (context.commandName === 'GetTopicAttributesCommand') out.output.Attributes = { ...out.output.Attributes, MaximumMessageSize: '1048576' };
        return out;
      },
      { step: 'initialize', name: 'raisedTopic' },
    );
    const transport = new SnsTransport({ client, routes: () => topicArn });
    const large = outboxMessage({ body: sized(300 * KiB) });
    const small = outboxMessage({ body: { n: 2 } });

    const [a, b] = await transport.publish([large, small], { ordered: false });

    const sentBodies = calls.filter((c) => c.command === 'PublishBatchCommand').flatMap((c) => (c.input.PublishBatchRequestEntries as Array<{ Message: string }>).map((e) => e.Message));
    expect(sentBodies).toContain(large.payload);
    // fauxqs keeps SNS's 256 KiB: as a topic whose real limit is lower than the one read.
    expect(a).toMatchObject({ status: 'blocked', route: `${topicArn} (size limit)`, code: 'InvalidParameter' });
    expect('error' in a! && a.error).toMatch(/Message too long.*the topic's configured limit is lower than the setting/);
    expect(b).toMatchObject({ status: 'sent', route: topicArn });
  });

  it('falls back to 256 KiB, said once, when the queue\'s limit may not be read (AccessDenied): 300 KiB waits, 200 KiB goes', async () => {
    const queueUrl = await createQueue(sqs, 'denied-limit');
    const client = track(new SQSClient(awsConfig()));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetQueueAttributesCommand') {
          throw Object.assign(new Error('not authorized to perform: sqs:GetQueueAttributes'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'denyAttributes' },
    );
    const warnings: string[] = [];
    const transport = new SqsTransport({ client, routes: () => queueUrl });
    transport.open({ logger: { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} }, blockRoute: () => undefined });
    const large = outboxMessage({ body: sized(300 * KiB) });
    const fits = outboxMessage({ body: sized(200 * KiB) });

    const first = await transport.publish([large, fits], { ordered: false });
    const again = await transport.publish([large], { ordered: false });

    expect(first).toMatchObject([{ status: 'blocked', route: `${queueUrl} (size limit)`, code: 'MessageTooLarge' }, { status: 'sent' }]);
    expect('error' in first[0]! && first[0].error).toMatch(/takes at most 262144 bytes \(taken as the fallback/);
    expect(again[0]).toMatchObject({ status: 'blocked' });
    expect(warnings.filter((w) => w.includes('may not read the MaximumMessageSize'))).toHaveLength(1);
    expect(warnings[0]).toMatch(/Allow sqs:GetQueueAttributes.*or set maxMessageBytes \(OUTBOX_MAX_MESSAGE_BYTES\)/);
  });

  it('open() reports a route whose queue does not exist as blocked, and its recheck clears once the queue exists', async () => {
    const name = uniqueName('later');
    const existing = await createQueue(sqs, 'exists');
    const missing = existing.replace(/[^/]+$/, name);
    const transport = track(new SqsTransport({ ...awsConfig(), routes: { 'a.b': existing, 'c.d': missing } }));
    const blocks: RouteBlock[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error() {} };

    transport.open({ logger, blockRoute: (block) => void blocks.push(block) });

    await waitFor(() => blocks.length === 1);
    expect(blocks[0]).toMatchObject({ route: missing, code: expect.stringMatching(/NonExistentQueue|QueueDoesNotExist/), error: expect.stringMatching(/^QueueDoesNotExist.*GetQueueAttributes.*the queue does not exist.*Create it/) });
    expect(await blocks[0]!.recheck()).toMatchObject({ error: expect.stringMatching(/^QueueDoesNotExist/) });
    await sqs.send(new CreateQueueCommand({ QueueName: name }));
    expect(await blocks[0]!.recheck()).toBeUndefined();
    expect(blocks.map((b) => b.route)).toEqual([missing]);
  });
});

describe('claim-check through S3', () => {
  it('offloads what is over a default SNS topic (300 KiB, 900 KiB, 5 MiB) in the extended-client format; SqsConsumer hands the full bodies over, same ids', async () => {
    const topicArn = await createTopic(sns, 'claim-checked');
    const rawQueue = await createQueue(sqs, 'cc-raw');
    const envelopedQueue = await createQueue(sqs, 'cc-enveloped');
    await subscribeQueue(sns, sqs, topicArn, rawQueue, true);
    await subscribeQueue(sns, sqs, topicArn, envelopedQueue, false);
    const transport = track(new SnsTransport({ ...awsConfig(), routes: () => topicArn, claimCheck: { bucket, targets: [topicArn], keyPrefix: 'outbox/' } }));
    const messages = [300 * KiB, 900 * KiB, 5 * 1024 * KiB].map((bytes, i) => outboxMessage({ subject: 'doc.stored', body: sized(bytes, 'pqr'[i]) }));
    const small = outboxMessage({ subject: 'doc.stored', body: { n: 3 } });

    const results = await transport.publish([...messages, small], { ordered: false });

    expect(results).toEqual([
      ...messages.map((m) => ({ id: m.id, status: 'sent', route: topicArn, via: [`s3://${bucket}/outbox/`] })),
      { id: small.id, status: 'sent', route: topicArn },
    ]);
    for (const m of messages) expect(await readObject(`outbox/${m.id}`)).toBe(m.payload);
    const raw = await receiveAll(sqs, rawQueue, 4);
    const byId = new Map(raw.map((m) => [m.MessageAttributes!['outbox-message-id']!.StringValue!, m]));
    for (const m of messages) {
      const delivered = byId.get(m.id)!;
      expect(JSON.parse(delivered.Body!)).toEqual([POINTER_CLASS, { s3BucketName: bucket, s3Key: `outbox/${m.id}` }]);
      expect(delivered.MessageAttributes!.ExtendedPayloadSize).toEqual({ DataType: 'Number', StringValue: String(Buffer.byteLength(m.payload)) });
    }
    expect(byId.get(small.id)!.Body).toBe(small.payload);
    expect(byId.get(small.id)!.MessageAttributes!.ExtendedPayloadSize).toBeUndefined();

    const handled = new Map<string, ConsumedMessage>();
    track(new SqsConsumer({ ...awsConfig(), queueUrl: envelopedQueue, waitTimeSeconds: 1, handler: async (m) => void handled.set(m.id, m) })).start();
    await waitFor(() => handled.size === 4, 30_000);
    for (const m of [...messages, small]) expect(handled.get(m.id)).toMatchObject({ subject: 'doc.stored', body: JSON.parse(m.payload), headers: {} });
  });

  it('reads a pointer built from the documented format, not by our encoder (a fixture, legacy size attribute)', async () => {
    const queueUrl = await createQueue(sqs, 'cc-fixture');
    const id = newMessageId();
    const key = `${uniqueName('fixture')}/payload.json`;
    const payload = JSON.stringify({ order: 42, lines: 'z'.repeat(2_000) });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: payload }));
    // As amazon-sqs-java-extended-client-lib 1.x wrote it: SQSLargePayloadSize, and the pointer JSON.
    const body = `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"${bucket}","s3Key":"${key}"}]`;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        MessageAttributes: {
          SQSLargePayloadSize: { DataType: 'Number', StringValue: String(payload.length) },
          'outbox-message-id': { DataType: 'String', StringValue: id },
          subject: { DataType: 'String', StringValue: 'order.placed' },
        },
      }),
    );
    const handled: ConsumedMessage[] = [];
    track(new SqsConsumer({ ...awsConfig(), queueUrl, waitTimeSeconds: 1, handler: async (m) => void handled.push(m) })).start();

    await waitFor(() => handled.length === 1);
    expect(handled[0]).toMatchObject({ id, subject: 'order.placed', body: JSON.parse(payload), headers: {} });
  });

  it('a claim-checked message whose object is gone is left for redelivery with a ClaimCheckReadError (stage payload)', async () => {
    const queueUrl = await createQueue(sqs, 'cc-gone', { visibilityTimeout: 30 });
    const id = newMessageId();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify([POINTER_CLASS, { s3BucketName: bucket, s3Key: 'expired/by-lifecycle' }]),
        MessageAttributes: {
          ExtendedPayloadSize: { DataType: 'Number', StringValue: '123' },
          'outbox-message-id': { DataType: 'String', StringValue: id },
          subject: { DataType: 'String', StringValue: 'x.y' },
        },
      }),
    );
    const errors: Array<{ error: unknown; context: SqsConsumerErrorContext }> = [];
    let handled = 0;
    track(
      new SqsConsumer({ ...awsConfig(), queueUrl, waitTimeSeconds: 1, handler: async () => void handled++, onError: (error, context) => void errors.push({ error, context }) }),
    ).start();

    await waitFor(() => errors.length >= 1);
    expect(errors[0]!.context.stage).toBe('payload');
    expect(errors[0]!.error).toMatchObject({ name: 'ClaimCheckReadError', messageId: id, bucket, key: 'expired/by-lifecycle' });
    expect(handled).toBe(0);
  });

  it('a failed upload is a retry with nothing sent; once S3 answers, the message is published once', async () => {
    const queueUrl = await createQueue(sqs, 'cc-retry');
    const s3Client = track(new S3Client({ ...awsConfig(), forcePathStyle: true }));
    let failures = 1;
    s3Client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand' && failures-- > 0) {
          throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failPut' },
    );
    const transport = track(new SqsTransport({ ...awsConfig(), routes: () => queueUrl, claimCheck: { bucket, targets: '*', thresholdBytes: 0, client: s3Client } }));
    const message = outboxMessage({ body: { n: 'retried' } });

    const [first] = await transport.publish([message], { ordered: false });
    expect(first).toMatchObject({ status: 'retry', route: `s3://${bucket}/`, error: expect.stringMatching(/^InternalError.*PutObject/) });
    expect(await receiveAll(sqs, queueUrl, 1, 2_000)).toHaveLength(0);

    const [second] = await transport.publish([message], { ordered: false });
    expect(second).toMatchObject({ status: 'sent', route: queueUrl, via: [`s3://${bucket}/`] });
    const delivered = await receiveAll(sqs, queueUrl, 1);
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(delivered[0]!.Body!)).toEqual([POINTER_CLASS, { s3BucketName: bucket, s3Key: message.id }]);
    expect(await readObject(message.id)).toBe(message.payload);
  });

  it('a missing bucket blocks the bucket route (NoSuchBucket, named fix) and sends nothing', async () => {
    const queueUrl = await createQueue(sqs, 'cc-nobucket');
    const transport = track(new SqsTransport({ ...awsConfig(), routes: () => queueUrl, claimCheck: { bucket: uniqueName('missing'), targets: '*', thresholdBytes: 0 } }));
    const message = outboxMessage({ body: { n: 'stuck' } });

    const [result] = await transport.publish([message], { ordered: false });

    expect(result).toMatchObject({ status: 'blocked', route: expect.stringMatching(/^s3:\/\/missing-/), code: 'NoSuchBucket', error: expect.stringMatching(/the bucket does not exist\. Create it/) });
    expect(await receiveAll(sqs, queueUrl, 1, 2_000)).toHaveLength(0);
  });

  it('the Lambda handler and outboxMessageHandler read claim-checked bodies; an object that is gone fails its record at stage payload', async () => {
    const queueUrl = await createQueue(sqs, 'cc-lambda');
    const transport = track(new SqsTransport({ ...awsConfig(), routes: () => queueUrl, claimCheck: { bucket, targets: '*', thresholdBytes: 0, keyPrefix: 'lambda/' } }));
    const messages = [outboxMessage({ subject: 'doc.big', body: sized(2 * 1024 * KiB, 'l') }), outboxMessage({ subject: 'doc.big', body: { n: 'small' } })];
    expect((await transport.publish(messages, { ordered: false })).map((r) => r.status)).toEqual(['sent', 'sent']);
    const received = await receiveAll(sqs, queueUrl, 2);
    const gone: Message = { ...received[0]!, MessageId: 'gone-1', Body: JSON.stringify([POINTER_CLASS, { s3BucketName: bucket, s3Key: 'lambda/not-there' }]) };
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    const event: SqsEvent = {
      Records: [...received, gone].map((m) => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body!,
        attributes: { ...m.Attributes },
        messageAttributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([name, v]) => [name, { stringValue: v.StringValue, dataType: v.DataType! }])),
        md5OfBody: m.MD5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: Attributes!.QueueArn,
        awsRegion: 'us-east-1',
      })),
    };
    const handled = new Map<string, unknown>();
    const errors: Array<{ error: unknown; context: SqsLambdaErrorContext }> = [];
    const lambda = createSqsLambdaHandler({
      handler: async (m) => void handled.set(m.id, m.body),
      claimCheck: { client: s3 },
      onError: (error, context) => void errors.push({ error, context }),
    });

    expect(await lambda(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'gone-1' }] });
    for (const m of messages) expect(handled.get(m.id)).toEqual(JSON.parse(m.payload));
    expect(errors.map((e) => [e.context.stage, (e.error as Error).name])).toEqual([['payload', 'ClaimCheckReadError']]);

    const wrapped = new Map<string, unknown>();
    const handleMessage = outboxMessageHandler(async (m) => void wrapped.set(m.id, m.body), { claimCheck: { client: s3 } });
    for (const m of received) expect(await handleMessage(m)).toBe(m);
    for (const m of messages) expect(wrapped.get(m.id)).toEqual(JSON.parse(m.payload));
    await expect(handleMessage(gone)).rejects.toMatchObject({ name: 'ClaimCheckReadError', key: 'lambda/not-there' });
  });
});

describe('OutboxRelayModule options', () => {
  it('hands maxMessageBytes and claimCheck to the transport it builds from routes, and refuses them beside a transport of your own', async () => {
    const { createRelayFromOptions } = await import('../src/nest/createRelayFromOptions.js');
    const pg = await import('pg');
    const pool = new pg.default.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    const routes = 'doc.*=arn:aws:sns:us-east-1:000000000000:docs';
    try {
      expect(() => createRelayFromOptions({ pool, routes, maxMessageBytes: 5 })).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'maxMessageBytes' }));
      expect(() => createRelayFromOptions({ pool, routes, claimCheck: { bucket: 'Not_A_Bucket', targets: '*' } })).toThrow(
        expect.objectContaining({ name: 'InvalidOptionError', option: 'claimCheck.bucket' }),
      );
      const transport = new SnsTransport({ ...awsConfig(), routes: () => undefined });
      track(transport);
      expect(() => createRelayFromOptions({ pool, transport, maxMessageBytes: 262_144 })).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'maxMessageBytes' }));
      const { relay } = createRelayFromOptions({ pool, routes, region: 'us-east-1', maxMessageBytes: 262_144, claimCheck: { bucket, targets: '*' } });
      expect(relay.running).toBe(false);
    } finally {
      await pool.end();
    }
  });
});
