import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { createTestDatabase, type TestDatabase } from '@tx-outbox/devkit';
import { PostgresInboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import { inboxTableDdl } from '@tx-outbox/outbox-typeorm/internal';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SqsTransport, createSqsLambdaHandler, outboxMessageHandler } from '../src/index.js';
import type { ConsumedMessage, SqsEvent, SqsLambdaErrorContext } from '../src/index.js';
import { awsConfig, createQueue, outboxMessage, receiveAll } from './support/aws.js';

// The Lambda handler and the sqs-consumer wrapper, fed messages received from the real SQS endpoint,
// deduplicating through a real PostgreSQL inbox.
let db: TestDatabase;
let pool: pg.Pool;
let sqs: SQSClient;

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'lambda');
  pool = new pg.Pool({ connectionString: db.url });
  for (const statement of inboxTableDdl()) await pool.query(statement);
  await pool.query(`CREATE TABLE handled (outbox_id text, subject text)`);
  sqs = new SQSClient(awsConfig());
});
afterAll(async () => {
  sqs.destroy();
  await pool.end();
  await db.drop();
});

/** Receives up to `count` messages, leaving them on the queue (in flight) as Lambda's poller does. */
async function receive(queueUrl: string, count: number): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < 20 && out.length < count; i++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    out.push(...Messages);
  }
  return out;
}

/** The SQS event Lambda would build from these messages (lower-case attribute keys, eventSourceARN). */
async function sqsEvent(queueUrl: string, messages: Message[]): Promise<SqsEvent> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body!,
      attributes: { ...m.Attributes },
      messageAttributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([name, v]) => [name, { stringValue: v.StringValue, dataType: v.DataType! }]),
      ),
      md5OfBody: m.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: Attributes!.QueueArn,
      awsRegion: 'us-east-1',
    })),
  };
}

/** What Lambda does with a partial batch response: deletes the records not listed, leaves the rest to reappear. */
async function settle(queueUrl: string, event: SqsEvent, failures: string[]): Promise<void> {
  for (const record of event.Records) {
    const command = failures.includes(record.messageId)
      ? new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: 0 })
      : new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle });
    await sqs.send(command);
  }
}

async function handledIds(): Promise<string[]> {
  const { rows } = await pool.query<{ outbox_id: string }>(`SELECT outbox_id FROM handled ORDER BY outbox_id`);
  return rows.map((r) => r.outbox_id);
}

describe('createSqsLambdaHandler', () => {
  it('reports only the failing record in batchItemFailures, and a retry handles nothing twice', async () => {
    await pool.query('TRUNCATE handled, inbox');
    const queueUrl = await createQueue(sqs, 'lambda');
    const messages = [0, 1, 2, 3].map((i) => outboxMessage({ subject: 'payment.created', body: { i } }));
    await new SqsTransport({ client: sqs, routes: { 'payment.created': queueUrl } }).publish(messages, { ordered: false });
    const poison = messages[2]!.id;
    let failNext = true;
    const duplicates: string[] = [];
    const errors: SqsLambdaErrorContext[] = [];
    const lambda = createSqsLambdaHandler({
      inbox: { store: new PostgresInboxStore({ pool }), consumer: 'billing', onDuplicate: (m) => duplicates.push(m.id) },
      handler: async (message: ConsumedMessage) => {
        if (message.id === poison && failNext) {
          failNext = false;
          throw new Error('downstream said no');
        }
        await pool.query(`INSERT INTO handled VALUES ($1, $2)`, [message.id, message.subject]);
      },
      onError: (_error, context) => errors.push(context),
    });

    const first = await sqsEvent(queueUrl, await receive(queueUrl, 4));
    expect(first.Records).toHaveLength(4);
    const response = await lambda(first);
    const poisonRecord = first.Records.find((r) => r.messageAttributes['outbox-message-id']?.stringValue === poison)!;
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poisonRecord.messageId }] });
    expect(errors.map((e) => [e.stage, e.message?.id])).toEqual([['handler', poison]]);
    expect(await handledIds()).toEqual(messages.filter((m) => m.id !== poison).map((m) => m.id).sort());

    // Lambda deletes the others; the failed one comes back alone and now succeeds.
    await settle(queueUrl, first, response.batchItemFailures.map((f) => f.itemIdentifier));
    const retry = await sqsEvent(queueUrl, await receive(queueUrl, 1));
    expect(retry.Records.map((r) => r.messageAttributes['outbox-message-id']?.stringValue)).toEqual([poison]);
    expect(await lambda(retry)).toEqual({ batchItemFailures: [] });

    // The whole first batch delivered again (a timed-out invocation): all four are duplicates now.
    expect(await lambda(first)).toEqual({ batchItemFailures: [] });
    expect(duplicates.sort()).toEqual(messages.map((m) => m.id).sort());
    expect(await handledIds()).toEqual(messages.map((m) => m.id).sort());
  });

  it('FIFO: a failure fails the rest of its message group, other groups go on; a non-outbox record fails', async () => {
    await pool.query('TRUNCATE handled, inbox');
    const queueUrl = await createQueue(sqs, 'lambda', { fifo: true });
    const a = [0, 1, 2].map((i) => outboxMessage({ subject: 'order.step', groupKey: 'a', body: { i } }));
    const b = outboxMessage({ subject: 'order.step', groupKey: 'b', body: { i: 9 } });
    await new SqsTransport({ client: sqs, routes: { 'order.step': queueUrl } }).publish([...a, b], { ordered: true });
    const lambda = createSqsLambdaHandler({
      inbox: { store: new PostgresInboxStore({ pool }), consumer: 'orders' },
      handler: async (message) => {
        if (message.id === a[1]!.id) throw new Error('step 1 failed');
        await pool.query(`INSERT INTO handled VALUES ($1, $2)`, [message.id, message.subject]);
      },
      onError: () => {},
    });
    // fauxqs hands out one message of a FIFO group at a time (SQS may hand several): take them one by
    // one (receiveAll deletes each) and put them in one event, as SQS can.
    const event = await sqsEvent(queueUrl, await receiveAll(sqs, queueUrl, 4));
    const groupA = event.Records.filter((r) => r.attributes.MessageGroupId === 'a').map((r) => r.messageAttributes['outbox-message-id']?.stringValue);
    expect(groupA).toEqual(a.map((m) => m.id));
    event.Records.push({ ...event.Records[0]!, messageId: 'not-outbox', body: 'plain text', messageAttributes: {}, attributes: {} });
    const { batchItemFailures } = await lambda(event);
    const failedOutboxIds = batchItemFailures.map((f) => event.Records.find((r) => r.messageId === f.itemIdentifier)!.messageAttributes['outbox-message-id']?.stringValue ?? f.itemIdentifier);
    expect(failedOutboxIds.sort()).toEqual([a[1]!.id, a[2]!.id, 'not-outbox'].sort());
    expect(await handledIds()).toEqual([a[0]!.id, b.id].sort());
  });

  it('refuses bad options by name', () => {
    expect(() => createSqsLambdaHandler({} as never)).toThrow(expect.objectContaining({ name: 'InvalidOptionError', option: 'handler' }));
    expect(() => createSqsLambdaHandler({ handler: () => {}, inbox: { consumer: 'x' } as never })).toThrow(expect.objectContaining({ option: 'inbox.store' }));
  });
});

describe('outboxMessageHandler (for sqs-consumer / @ssut/nestjs-sqs)', () => {
  it('decodes, deduplicates, resolves with the message to acknowledge, and throws to leave it', async () => {
    await pool.query('TRUNCATE handled, inbox');
    const queueUrl = await createQueue(sqs, 'wrapper');
    const message = outboxMessage({ subject: 'invoice.paid', body: { n: 1 } });
    await new SqsTransport({ client: sqs, routes: { 'invoice.paid': queueUrl } }).publish([message], { ordered: false });
    const [raw] = await receive(queueUrl, 1);
    let calls = 0;
    const handleMessage = outboxMessageHandler(
      async ({ id, subject }) => {
        calls += 1;
        if (calls === 1) throw new Error('first try fails');
        await pool.query(`INSERT INTO handled VALUES ($1, $2)`, [id, subject]);
      },
      { inbox: { store: new PostgresInboxStore({ pool }), consumer: 'invoices' } },
    );
    await expect(handleMessage(raw!)).rejects.toThrow('first try fails');
    expect(await handleMessage(raw!)).toBe(raw);
    expect(await handleMessage(raw!)).toBe(raw);
    expect(calls).toBe(2);
    expect(await handledIds()).toEqual([message.id]);
    await expect(handleMessage({ MessageId: 'x', Body: 'not json' })).rejects.toMatchObject({ name: 'UndecodableMessageError' });
  });
});
