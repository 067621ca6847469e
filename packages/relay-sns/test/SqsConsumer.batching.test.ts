// What SqsConsumer asks of SQS: deletes in DeleteMessageBatch calls (10 at a time, the rest when a short
// wait ends or at stop()), receives that ask for 10, visibility extended only for the messages still
// running near their deadline, and batch entries SQS refuses sent again (its fault) or left for
// redelivery (the sender's). Against the real SNS/SQS endpoint; the refusals are written into SQS's
// answers by a middleware on the client (the endpoint never refuses an entry).
import { SQSClient } from '@aws-sdk/client-sqs';
import { InMemoryInboxStore } from '@tx-outbox/outbox-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqsConsumer, SqsTransport } from '../src/index.js';
import type { ConsumedMessage, SqsConsumerErrorContext, SqsConsumerOptions } from '../src/index.js';
import { awsConfig, createQueue, outboxMessage, queueDepth, recordCalls, waitFor, type RecordedCall } from './support/aws.js';

let sqs: SQSClient;
const consumers: SqsConsumer[] = [];
const clients: SQSClient[] = [];

beforeAll(() => {
  sqs = new SQSClient(awsConfig());
});
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(() => sqs.destroy());

/** A client of its own per test, so its middlewares (recordings, refusals) stay with that test. */
function client(): SQSClient {
  const c = new SQSClient(awsConfig());
  clients.push(c);
  return c;
}

function startConsumer(options: SqsConsumerOptions): SqsConsumer {
  const consumer = new SqsConsumer({ waitTimeSeconds: 1, ...options });
  consumers.push(consumer);
  consumer.start();
  return consumer;
}

async function send(queueUrl: string, count: number) {
  const messages = Array.from({ length: count }, (_, i) => outboxMessage({ subject: 'job.run', body: { i } }));
  const results = await new SqsTransport({ client: sqs, routes: () => queueUrl }).publish(messages, { ordered: false });
  expect(results.every((r) => r.status === 'sent')).toBe(true);
  return messages;
}

const entriesOf = (calls: RecordedCall[], command: string) =>
  calls.filter((c) => c.command === command).map((c) => c.input.Entries as Array<{ ReceiptHandle: string; VisibilityTimeout?: number }>);

type Refusal = { SenderFault: boolean; Code: string };

/**
 * Makes SQS refuse every other entry of the first DeleteMessageBatch call: those are not sent on, and
 * the answer lists them as Failed with `refusal` (as SQS answers a partly failed batch). Returns the
 * receipt handles refused.
 */
function refuseHalfOfFirstDeleteBatch(c: SQSClient, refusal: Refusal): string[] {
  const refused: string[] = [];
  let first = true;
  c.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'DeleteMessageBatchCommand' || !first) return next(args);
      first = false;
      const input = args.input as { QueueUrl: string; Entries: Array<{ Id: string; ReceiptHandle: string }> };
      const kept = input.Entries.filter((_, i) => i % 2 === 0);
      const dropped = input.Entries.filter((_, i) => i % 2 === 1);
      refused.push(...dropped.map((e) => e.ReceiptHandle));
      const result = await next({ ...args, input: { ...input, Entries: kept } });
      const output = result.output as { Successful?: unknown[]; Failed?: unknown[] };
      output.Failed = [...(output.Failed ?? []), ...dropped.map((e) => ({ Id: e.Id, ...refusal, Message: 'refused by the test' }))];
      return result;
    },
    { step: 'initialize', name: 'refuseHalfOfFirstDeleteBatch' },
  );
  return refused;
}

describe('SqsConsumer batching', () => {
  it('receives 10 at a time and deletes in DeleteMessageBatch calls of 10 when handlers free their slots in tens', async () => {
    const queueUrl = await createQueue(sqs, 'batch-fill');
    await send(queueUrl, 40);
    const c = client();
    const calls = recordCalls(c);
    let handled = 0;
    startConsumer({
      client: c,
      queueUrl,
      concurrency: 10,
      // Handlers end a millisecond or so apart, as real ones do: slots free one at a time.
      handler: async (m) => {
        await new Promise((resolve) => setTimeout(resolve, 1 + ((m.body as { i: number }).i % 5)));
        handled++;
      },
    });
    await waitFor(async () => handled === 40 && (await queueDepth(sqs, queueUrl)) === 0);

    const receives = calls.filter((c) => c.command === 'ReceiveMessageCommand').map((c) => c.input.MaxNumberOfMessages);
    // Each receive waited for the slots to free in tens: about 4 receives (and the last, empty one),
    // not one per freed slot or two.
    expect(receives.filter((n) => n === 10).length).toBeGreaterThanOrEqual(4);
    expect(receives.length).toBeLessThanOrEqual(8);
    expect(calls.some((c) => c.command === 'DeleteMessageCommand')).toBe(false);
    const deleted = entriesOf(calls, 'DeleteMessageBatchCommand');
    expect(deleted.flat()).toHaveLength(40);
    expect(deleted.every((entries) => entries.length <= 10)).toBe(true);
    // Handlers that end in tens fill their batches: 40 deletes in at most 8 calls, not 40.
    expect(deleted.length).toBeLessThanOrEqual(8);
  });

  it('stop() sends the deletes still waiting for a batch and resolves once SQS has answered them', async () => {
    const queueUrl = await createQueue(sqs, 'batch-stop');
    await send(queueUrl, 3);
    const c = client();
    const calls = recordCalls(c);
    let handled = 0;
    const consumer = startConsumer({ client: c, queueUrl, handler: async () => void handled++ });
    await waitFor(() => handled === 3);
    await consumer.stop();
    expect(entriesOf(calls, 'DeleteMessageBatchCommand').flat()).toHaveLength(3);
    expect(await queueDepth(sqs, queueUrl)).toBe(0);
  });

  it('started again after stop(), still extends the visibility of a message held past half its timeout', async () => {
    const queueUrl = await createQueue(sqs, 'batch-restart', { visibilityTimeout: 2 });
    const c = client();
    const calls = recordCalls(c);
    const runs: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consumer = startConsumer({
      client: c,
      queueUrl,
      handler: async (m) => {
        runs.push(m.receiveCount);
        await gate;
      },
    });
    await waitFor(() => calls.some((call) => call.command === 'ReceiveMessageCommand'));
    await consumer.stop();
    consumer.start();
    await send(queueUrl, 1);
    try {
      await waitFor(() => entriesOf(calls, 'ChangeMessageVisibilityBatchCommand').length > 0);
    } finally {
      release();
    }
    await waitFor(async () => (await queueDepth(sqs, queueUrl)) === 0);
    // Once (at receive 1, or at 2 when the first consumer's cancelled long poll had taken it).
    expect(runs).toHaveLength(1);
  });

  it('sends again the entries of a delete batch SQS refused with an error of its own (SenderFault false)', async () => {
    const queueUrl = await createQueue(sqs, 'batch-refused-server');
    const sent = await send(queueUrl, 10);
    const c = client();
    // Recorded first, so the record shows what the consumer sent, before the refusal rewrites it.
    const calls = recordCalls(c);
    const refused = refuseHalfOfFirstDeleteBatch(c, { SenderFault: false, Code: 'InternalError' });
    const handled: string[] = [];
    const errors: Array<{ stage: string; name: string }> = [];
    startConsumer({
      client: c,
      queueUrl,
      handler: async (m) => void handled.push(m.id),
      onError: (error, { stage }) => errors.push({ stage, name: (error as Error).name }),
    });
    await waitFor(async () => handled.length === 10 && (await queueDepth(sqs, queueUrl)) === 0);

    expect(refused.length).toBeGreaterThan(0);
    const deletedHandles = entriesOf(calls, 'DeleteMessageBatchCommand').flat().map((e) => e.ReceiptHandle);
    // Each refused entry went out a second time; nothing was handled twice; nothing was reported.
    for (const handle of refused) expect(deletedHandles.filter((h) => h === handle)).toHaveLength(2);
    expect(handled.sort()).toEqual(sent.map((m) => m.id).sort());
    expect(errors).toEqual([]);
  });

  it('leaves the entries SQS refused as the sender\'s fault for redelivery; the inbox then deletes them as duplicates', async () => {
    const queueUrl = await createQueue(sqs, 'batch-refused-sender', { visibilityTimeout: 1 });
    const sent = await send(queueUrl, 10);
    const c = client();
    // Recorded first, so the record shows what the consumer sent, before the refusal rewrites it.
    const calls = recordCalls(c);
    const refused = refuseHalfOfFirstDeleteBatch(c, { SenderFault: true, Code: 'ReceiptHandleIsInvalid' });
    const handled: string[] = [];
    const duplicates: ConsumedMessage[] = [];
    const errors: Array<{ context: SqsConsumerErrorContext; name: string; code: string }> = [];
    startConsumer({
      client: c,
      queueUrl,
      inbox: { store: new InMemoryInboxStore(), consumer: 'batching', onDuplicate: (m) => duplicates.push(m) },
      handler: async (m) => void handled.push(m.id),
      onError: (error, context) => errors.push({ context, name: (error as Error).name, code: (error as { code: string }).code }),
    });
    await waitFor(async () => duplicates.length === refused.length && (await queueDepth(sqs, queueUrl)) === 0);

    expect(refused.length).toBeGreaterThan(0);
    const deletedHandles = entriesOf(calls, 'DeleteMessageBatchCommand').flat().map((e) => e.ReceiptHandle);
    // Not sent again (the handle is no good): reported, and the message came back to be deleted as a duplicate.
    for (const handle of refused) expect(deletedHandles.filter((h) => h === handle)).toHaveLength(1);
    expect(errors.map((e) => [e.context.stage, e.name, e.code])).toEqual(refused.map(() => ['delete', 'SqsEntryRefusedError', 'ReceiptHandleIsInvalid']));
    expect(duplicates.every((m) => m.receiveCount === 2)).toBe(true);
    expect(handled.sort()).toEqual(sent.map((m) => m.id).sort());
  });

  it('extends the visibility of a slow handler\'s message among fast ones, and only that message', async () => {
    const queueUrl = await createQueue(sqs, 'batch-slow');
    const c = client();
    const calls = recordCalls(c);
    const extensions = () => entriesOf(calls, 'ChangeMessageVisibilityBatchCommand').flat();
    const runs = new Map<string, number[]>();
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    let releaseFast!: () => void;
    const fastGate = new Promise<void>((resolve) => (releaseFast = resolve));
    let slowId = '';
    startConsumer({
      client: c,
      queueUrl,
      // Ticks every second; a message is extended at the first tick at which it is held a second or more.
      visibilityTimeout: 4,
      handler: async (m) => {
        runs.set(m.id, [...(runs.get(m.id) ?? []), m.receiveCount]);
        await (m.id === slowId ? slowGate : fastGate);
      },
    });
    try {
      [{ id: slowId }] = await send(queueUrl, 1);
      // The fast ones arrive just after the slow one's first extension (a tick), so the next tick finds
      // them held for less than a second: not due. They are let go once that tick extended the slow one again.
      await waitFor(() => extensions().length >= 1);
      const fast = await send(queueUrl, 9);
      await waitFor(() => fast.every((m) => runs.has(m.id)));
      await waitFor(() => extensions().length >= 2);
      releaseFast();
      await waitFor(() => entriesOf(calls, 'DeleteMessageBatchCommand').flat().length === 9);
    } finally {
      releaseSlow();
      releaseFast();
    }
    await waitFor(async () => (await queueDepth(sqs, queueUrl)) === 0);

    const extendedHandles = new Set(extensions().map((e) => e.ReceiptHandle));
    // Only the slow one, every time with the visibility timeout it was received with.
    expect(extendedHandles.size).toBe(1);
    expect(extensions().length).toBeGreaterThanOrEqual(2);
    expect(extensions().every((e) => e.VisibilityTimeout === 4)).toBe(true);
    // Every message ran once, at its first receive: the slow one was never handed out again.
    expect(runs.size).toBe(10);
    expect([...runs.values()].every((r) => r.length === 1 && r[0] === 1)).toBe(true);
  });
});
