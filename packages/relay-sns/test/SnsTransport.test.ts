import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { OutboxMessage, PublishResult } from '@tx-outbox/outbox-core';
import { messageSize } from '@tx-outbox/outbox-core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnsTransport } from '../src/index.js';
import { awsConfig, createQueue, createTopic, failCalls, outboxMessage, receiveAll, recordCalls, subscribeQueue, waitFor } from './support/aws.js';

let sns: SNSClient;
let sqs: SQSClient;

beforeAll(() => {
  sns = new SNSClient(awsConfig());
  sqs = new SQSClient(awsConfig());
});
afterAll(() => {
  sns.destroy();
  sqs.destroy();
});

const statuses = (results: PublishResult[]) => Object.fromEntries(results.map((r) => [r.id, r.status]));

describe('SnsTransport', () => {
  it('publishes to a subscribed queue with the payload as is and the outbox attributes', async () => {
    const topicArn = await createTopic(sns, 'basic');
    const queueUrl = await createQueue(sqs, 'basic');
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
    const transport = new SnsTransport({ client: sns, routes: { 'payment.created': topicArn } });
    const message = outboxMessage({ subject: 'payment.created', body: { paymentId: 'p-1', amount: 42 }, headers: { tenant: 'acme' } });

    const results = await transport.publish([message], { ordered: false });

    expect(results).toEqual([{ id: message.id, status: 'sent', route: topicArn }]);
    const [received] = await receiveAll(sqs, queueUrl, 1);
    expect(received!.Body).toBe(message.payload);
    expect(received!.MessageAttributes).toEqual({
      'outbox-message-id': { DataType: 'String', StringValue: message.id },
      subject: { DataType: 'String', StringValue: 'payment.created' },
      tenant: { DataType: 'String', StringValue: 'acme' },
    });
  });

  it('splits 25 messages of mixed sizes, one of 200 KiB, into broker batches of at most 10 entries and 256 KiB with unique ids', async () => {
    const topicArn = await createTopic(sns, 'broker-batches');
    const queueUrl = await createQueue(sqs, 'broker-batches');
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
    const client = new SNSClient(awsConfig());
    const calls = recordCalls(client);
    const transport = new SnsTransport({ client, routes: [{ prefix: 'bulk.', topicArn }], concurrency: 3 });
    const sizes = [10, 200 * 1024, 30 * 1024, 40 * 1024, 500, 60 * 1024, 1, 2_000, 50 * 1024, 20 * 1024];
    const messages = Array.from({ length: 25 }, (_, i) =>
      outboxMessage({ subject: `bulk.item${i % 3}`, body: { i, pad: 'x'.repeat(sizes[i % sizes.length]!) } }),
    );
    const sizeById = new Map(messages.map((m) => [m.id, messageSize(m)]));
    const idByPayload = new Map(messages.map((m) => [m.payload, m.id]));

    const results = await transport.publish(messages, { ordered: false });
    client.destroy();

    expect(results.map((r) => r.status)).toEqual(Array(25).fill('sent'));
    const batches = calls.filter((c) => c.command === 'PublishBatchCommand');
    expect(batches.length).toBeGreaterThan(3);
    const sentIds: string[] = [];
    for (const call of batches) {
      const entries = call.input.PublishBatchRequestEntries as Array<{ Id: string; Message: string }>;
      expect(entries.length).toBeLessThanOrEqual(10);
      expect(new Set(entries.map((e) => e.Id)).size).toBe(entries.length);
      const ids = entries.map((e) => idByPayload.get(e.Message)!);
      const total = ids.reduce((sum, id) => sum + sizeById.get(id)!, 0);
      expect(total).toBeLessThanOrEqual(262_144);
      sentIds.push(...ids);
    }
    expect(sentIds.sort()).toEqual(messages.map((m) => m.id).sort());
    const received = await receiveAll(sqs, queueUrl, 25);
    expect(received.map((m) => m.MessageAttributes!['outbox-message-id']!.StringValue).sort()).toEqual(messages.map((m) => m.id).sort());
  });

  it('keeps per-group order on a FIFO topic and lets the endpoint drop a re-published message', async () => {
    const topicArn = await createTopic(sns, 'orders', true);
    const queueUrl = await createQueue(sqs, 'orders', { fifo: true });
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
    const transport = new SnsTransport({ client: sns, routes: () => topicArn });
    const messages: OutboxMessage[] = [];
    for (let i = 0; i < 12; i++) messages.push(outboxMessage({ subject: 'order.step', groupKey: `order-${i % 2}`, body: { i } }));

    const first = await transport.publish(messages, { ordered: true });
    const again = await transport.publish([messages[3]!], { ordered: true });

    expect(first.every((r) => r.status === 'sent')).toBe(true);
    expect(again).toEqual([{ id: messages[3]!.id, status: 'sent', route: topicArn }]);
    const received = await receiveAll(sqs, queueUrl, 12);
    expect(received).toHaveLength(12);
    for (const group of ['order-0', 'order-1']) {
      const inGroup = received.filter((m) => m.Attributes!.MessageGroupId === group).map((m) => (JSON.parse(m.Body!) as { i: number }).i);
      expect(inGroup).toEqual(messages.filter((m) => m.groupKey === group).map((m) => (JSON.parse(m.payload) as { i: number }).i));
    }
    expect(received.find((m) => m.MessageAttributes!['outbox-message-id']!.StringValue === messages[3]!.id)!.Attributes!.MessageDeduplicationId).toBe(
      messages[3]!.id,
    );
  });

  it('reports a missing topic as a blocked route with the NotFound error, and sends the rest of the same publish', async () => {
    const topicArn = await createTopic(sns, 'present');
    const missing = topicArn.replace(/present-[^:]+$/, 'missing-topic');
    const transport = new SnsTransport({ client: sns, routes: { 'ok.event': topicArn, 'gone.event': missing } });
    const ok = [outboxMessage({ subject: 'ok.event' }), outboxMessage({ subject: 'ok.event' })];
    const gone = outboxMessage({ subject: 'gone.event' });

    const results = await transport.publish([ok[0]!, gone, ok[1]!], { ordered: false });

    expect(statuses(results)).toEqual({ [ok[0]!.id]: 'sent', [gone.id]: 'blocked', [ok[1]!.id]: 'sent' });
    expect(results[1]).toMatchObject({ status: 'blocked', route: missing, code: 'NotFound', error: expect.stringMatching(/NotFound/) });
  });

  it('blocks a malformed topic ARN before any call, and a route an endpoint refuses with an HTML page', async () => {
    const topicArn = await createTopic(sns, 'proxied');
    const client = new SNSClient(awsConfig());
    // A proxy in front of SNS that answers 403 with an HTML page: the SDK can only say "Unknown".
    client.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('Unknown'), { name: 'Unknown', $fault: 'client', $metadata: { httpStatusCode: 403 } });
      },
      { step: 'finalizeRequest', name: 'htmlProxy' },
    );
    const typo = new SnsTransport({ client: sns, routes: (subject) => (subject === 'good' ? topicArn : 'arn:aws:sns:::') });
    const proxied = new SnsTransport({ client, routes: () => topicArn });
    // Each target's shape is checked once per publish: both messages to the typo are blocked, the good one goes.
    const [a, a2, good] = await typo.publish([outboxMessage({ subject: 'x' }), outboxMessage({ subject: 'x2' }), outboxMessage({ subject: 'good' })], { ordered: false });
    const [b] = await proxied.publish([outboxMessage({ subject: 'x' })], { ordered: false });
    client.destroy();

    expect(a).toMatchObject({ status: 'blocked', route: 'arn:aws:sns:::', code: 'InvalidRouteTarget' });
    expect(a2).toMatchObject({ status: 'blocked', route: 'arn:aws:sns:::', code: 'InvalidRouteTarget' });
    expect(good).toMatchObject({ status: 'sent', route: topicArn });
    expect(b).toMatchObject({ status: 'blocked', route: topicArn, code: 'HTTP 403', error: expect.stringContaining('HTTP 403') });
  });

  it('blocks an unrouted subject and a message over the route\'s limit (configuration states), and refuses a message with more than 10 attributes as permanent', async () => {
    const topicArn = await createTopic(sns, 'refusals');
    const transport = new SnsTransport({ client: sns, routes: { 'known.event': topicArn }, maxMessageBytes: 1_024 });
    const unrouted = outboxMessage({ subject: 'unknown.event' });
    const headers = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`h${i}`, 'v']));
    const tooMany = outboxMessage({ subject: 'known.event', headers });
    const tooLarge = outboxMessage({ subject: 'known.event', body: { pad: 'x'.repeat(2_000) } });
    const fine = outboxMessage({ subject: 'known.event' });

    const results = await transport.publish([unrouted, tooMany, tooLarge, fine], { ordered: false });

    expect(results.map((r) => r.status)).toEqual(['blocked', 'permanent', 'blocked', 'sent']);
    expect(results[0]).toMatchObject({ route: '(no route) unknown.event', code: 'UnroutedSubjectError' });
    expect(results[2]).toMatchObject({ route: `${topicArn} (size limit)`, code: 'MessageTooLarge' });
    const errors = results.map((r) => ('error' in r ? r.error : ''));
    expect(errors[0]).toMatch(/^UnroutedSubjectError: .*"unknown\.event".*routes/);
    expect(errors[1]).toMatch(/^TooManyAttributesError: .*11 message attributes/);
    expect(errors[2]).toMatch(/^MessageTooLargeError: .*over the limit of 1024 bytes.*maxMessageBytes, OUTBOX_MAX_MESSAGE_BYTES.*claim-check/);
  });

  it('classifies a throttled PublishBatch as retry, and the next publish sends', async () => {
    const topicArn = await createTopic(sns, 'throttled');
    const queueUrl = await createQueue(sqs, 'throttled');
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
    const client = new SNSClient(awsConfig());
    failCalls(client, 'PublishBatchCommand', 'ThrottlingException');
    const transport = new SnsTransport({ client, routes: { 't.event': topicArn } });
    const messages = [outboxMessage({ subject: 't.event' }), outboxMessage({ subject: 't.event' })];

    const first = await transport.publish(messages, { ordered: false });
    const second = await transport.publish(messages, { ordered: false });
    client.destroy();

    expect(first.map((r) => r.status)).toEqual(['retry', 'retry']);
    expect('error' in first[0]! && first[0]!.error).toMatch(/^ThrottlingException/);
    expect(second.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(await receiveAll(sqs, queueUrl, 2)).toHaveLength(2);
  });

  it('reads per-entry results: a failed entry is classified by its Code and SenderFault, the others are sent', async () => {
    const topicArn = await createTopic(sns, 'partial');
    const client = new SNSClient(awsConfig());
    // The endpoint accepts everything; rewrite its answer as AWS would report a partial failure.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'PublishBatchCommand') return next(args);
        const out = (await next(args)) as { output: { Successful?: Array<{ Id?: string }>; Failed?: unknown[] } };
        const failed = [
          { Id: '1', Code: 'InternalError', Message: 'try again', SenderFault: false },
          { Id: '2', Code: 'InvalidParameter', Message: 'bad attribute', SenderFault: true },
        ];
        out.output.Successful = out.output.Successful!.filter((s) => s.Id !== '1' && s.Id !== '2');
        out.output.Failed = failed;
        return out;
      },
      { step: 'initialize', name: 'partialFailure' },
    );
    const transport = new SnsTransport({ client, routes: { p: topicArn } });
    const messages = [0, 1, 2, 3].map(() => outboxMessage({ subject: 'p' }));

    const results = await transport.publish(messages, { ordered: false });
    client.destroy();

    expect(results.map((r) => r.status)).toEqual(['sent', 'retry', 'permanent', 'sent']);
    expect('error' in results[2]! && results[2]!.error).toMatch(/^InvalidParameter: bad attribute/);
  });

  it('reports an entry missing from the broker\'s answer as retry, never as sent', async () => {
    const topicArn = await createTopic(sns, 'missing');
    const client = new SNSClient(awsConfig());
    // An answer that lists neither success nor failure for entry 1 (the endpoint did publish it).
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'PublishBatchCommand') return next(args);
        const out = (await next(args)) as { output: { Successful?: Array<{ Id?: string }> } };
        out.output.Successful = out.output.Successful!.filter((s) => s.Id !== '1');
        return out;
      },
      { step: 'initialize', name: 'dropEntry' },
    );
    const transport = new SnsTransport({ client, routes: { m: topicArn } });
    const messages = [0, 1, 2].map(() => outboxMessage({ subject: 'm' }));

    const results = await transport.publish(messages, { ordered: false });
    client.destroy();

    expect(results.map((r) => r.status)).toEqual(['sent', 'retry', 'sent']);
    expect('error' in results[1]! && results[1]!.error).toMatch(/no result for this entry/);
  });

  // Any error about a message's content, not a narrower list: InvalidAttributeValue once dead-lettered the whole call.
  it.each(['InvalidParameterException', 'InvalidAttributeValue'])('resends a call refused for its content (%s) entry by entry, so only the bad message is dead-lettered', async (code) => {
    const topicArn = await createTopic(sns, 'content');
    const client = new SNSClient(awsConfig());
    // As AWS may refuse a whole PublishBatch over one bad entry: refuse any call that carries the marked body.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = (args as { input: { PublishBatchRequestEntries?: Array<{ Message?: string }> } }).input;
        if (context.commandName === 'PublishBatchCommand' && input.PublishBatchRequestEntries!.some((e) => e.Message!.includes('"bad"'))) {
          throw Object.assign(new Error('Invalid parameter: Message'), { name: code, $fault: 'client', $metadata: { httpStatusCode: 400 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'refuseBadEntry' },
    );
    const transport = new SnsTransport({ client, routes: { c: topicArn } });
    const messages = [{ ok: 1 }, 'bad', { ok: 2 }, { ok: 3 }].map((body) => outboxMessage({ subject: 'c', body }));

    const results = await transport.publish(messages, { ordered: false });
    client.destroy();

    expect(results.map((r) => r.status)).toEqual(['sent', 'permanent', 'sent', 'sent']);
    expect('error' in results[1]! && results[1]!.error).toMatch(new RegExp(`^${code}`));
  });

  it('in ordered mode keeps a group in claim order across topics: a later message waits for an earlier one on another topic', async () => {
    const [orders, payments] = [await createTopic(sns, 'ord-a'), await createTopic(sns, 'ord-b')];
    const client = new SNSClient(awsConfig());
    const calls = recordCalls(client);
    // The payments topic throttles its first call.
    let throttle = 1;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PublishBatchCommand' && (args.input as { TopicArn?: string }).TopicArn === payments && throttle-- > 0) {
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'throttlePayments' },
    );
    const transport = new SnsTransport({ client, routes: { 'to.orders': orders, 'to.payments': payments }, concurrency: 4 });
    // Group G goes to payments first, then to orders; H is unrelated.
    const m0 = outboxMessage({ subject: 'to.orders', groupKey: 'H' });
    const m1 = outboxMessage({ subject: 'to.payments', groupKey: 'G' });
    const m2 = outboxMessage({ subject: 'to.orders', groupKey: 'G' });

    const results = await transport.publish([m0, m1, m2], { ordered: true });
    client.destroy();

    // m2 must not go out while m1, ahead of it in group G, failed.
    expect(statuses(results)).toEqual({ [m0.id]: 'sent', [m1.id]: 'retry', [m2.id]: 'retry' });
    const sentBodies = calls.filter((c) => c.command === 'PublishBatchCommand').flatMap((c) => (c.input.PublishBatchRequestEntries as Array<{ Message: string }>).map((e) => e.Message));
    expect(sentBodies).not.toContain(m2.payload);
  });

  it('gives up on a call the endpoint never answers, as a retryable timeout', async () => {
    const { createServer } = await import('node:http');
    const silent = createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    const port = (silent.address() as { port: number }).port;
    const transport = new SnsTransport({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      routes: () => 'arn:aws:sns:us-east-1:000000000000:silent',
      requestTimeoutMs: 300,
    });
    try {
      const [result] = await transport.publish([outboxMessage()], { ordered: false });
      expect(result).toMatchObject({ status: 'retry', error: expect.stringMatching(/^TimeoutError/) });
    } finally {
      await transport.close();
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('keeps at most `concurrency` PublishBatch calls in flight', async () => {
    const topicArn = await createTopic(sns, 'inflight');
    const client = new SNSClient(awsConfig());
    let active = 0;
    let maxActive = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'PublishBatchCommand') return next(args);
        active += 1;
        maxActive = Math.max(maxActive, active);
        try {
          await gate;
          return await next(args);
        } finally {
          active -= 1;
        }
      },
      { step: 'initialize', name: 'countInFlight' },
    );
    const transport = new SnsTransport({ client, routes: { c: topicArn }, concurrency: 2 });

    const publishing = transport.publish(Array.from({ length: 60 }, () => outboxMessage({ subject: 'c' })), { ordered: false });
    // Calls hold until two are in flight (however slowly they start), then all go.
    try {
      await waitFor(() => active === 2);
    } finally {
      release();
    }
    const results = await publishing;
    client.destroy();

    expect(results.every((r) => r.status === 'sent')).toBe(true);
    expect(maxActive).toBe(2);
  });

  it('in ordered mode holds back the later messages of a group whose earlier message was refused', async () => {
    const topicArn = await createTopic(sns, 'ordered');
    const transport = new SnsTransport({ client: sns, routes: { 'a.event': topicArn } });
    const first = outboxMessage({ subject: 'a.event', groupKey: 'g1', headers: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`h${i}`, 'v'])) });
    const second = outboxMessage({ subject: 'a.event', groupKey: 'g1' });
    const other = outboxMessage({ subject: 'a.event', groupKey: 'g2' });

    const results = await transport.publish([first, second, other], { ordered: true });

    expect(results.map((r) => r.status)).toEqual(['permanent', 'retry', 'sent']);
  });

  it('works with a client that is not an SDK client (a test double: no config to read a region or credentials from)', async () => {
    const double = { send: async () => ({ Successful: [{ Id: '0' }] }), destroy() {} } as unknown as SNSClient;
    const transport = new SnsTransport({ client: double, routes: () => 'arn:aws:sns:eu-west-1:123456789012:t' });
    const [result] = await transport.publish([outboxMessage()], { ordered: false });
    expect(result).toMatchObject({ status: 'sent' });
  });

  it('validates its options at construction', () => {
    expect(() => new SnsTransport({ client: sns, routes: { a: 'arn' }, concurrency: 0 })).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'concurrency' }));
    expect(() => new SnsTransport({ client: sns, routes: [{ prefix: 'a.', topicArn: '' }] })).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'routes[0]' }));
    expect(() => new SnsTransport({ client: sns } as never)).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'routes' }));
  });
});
