// SqsConsumer with the PostgreSQL inbox stores, against the real PostgreSQL and SNS/SQS endpoint: a
// message is deleted only after its handler's transaction committed; a copy that arrives while the first
// copy runs costs no error and no full visibility timeout; and when the database connection dies
// mid-handler, the redelivery does not burn SQS receives for a whole lease (issue 25, item 1).
import 'reflect-metadata';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createTestDatabase, startSilentProxy, type SilentProxy, type TestDatabase } from '@tx-outbox/devkit';
import { TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';
import { PostgresInboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import { inboxTableDdl } from '@tx-outbox/outbox-typeorm/internal';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { StorageDriver, addTransactionalDataSource, getDataSourceByName, initializeTransactionalContext } from 'typeorm-transactional';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SqsConsumer, SqsTransport } from '../src/index.js';
import type { ConsumedMessage, SqsConsumerEvents, SqsConsumerOptions } from '../src/index.js';
import { awsConfig, createQueue, outboxMessage, queueDepth, recordCalls, waitFor } from './support/aws.js';

let db: TestDatabase;
let pool: pg.Pool;
let dataSource: DataSource;
let sqs: SQSClient;
const consumers: SqsConsumer[] = [];
const clients: SQSClient[] = [];
const proxies: SilentProxy[] = [];
const pools: pg.Pool[] = [];

beforeAll(async () => {
  db = await createTestDatabase(inject('databaseUrl'), 'consumer_inbox');
  pool = new pg.Pool({ connectionString: db.url });
  for (const statement of inboxTableDdl()) await pool.query(statement);
  await pool.query('CREATE TABLE effects (message_id text NOT NULL, receive_count int NOT NULL)');
  // A duplicate id fails only at COMMIT: a handler that returns and then does not commit.
  await pool.query('CREATE TABLE commit_checks (id int, CONSTRAINT commit_checks_once UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)');
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  dataSource = new DataSource({ type: 'postgres', url: db.url, extra: { max: 12 } });
  await dataSource.initialize();
  if (!getDataSourceByName('default')) addTransactionalDataSource(dataSource);
  sqs = new SQSClient(awsConfig());
});
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  await Promise.all(pools.splice(0).map((p) => p.end()));
});
afterAll(async () => {
  sqs?.destroy();
  await dataSource?.destroy();
  await pool?.end();
  await db?.drop();
});

function startConsumer(options: Omit<SqsConsumerOptions, 'client'> & { client?: SQSClient }) {
  const client = options.client ?? new SQSClient(awsConfig());
  clients.push(client);
  const events: Array<{ ev: keyof SqsConsumerEvents; id: string; retryInSeconds?: number }> = [];
  const errors: Array<{ stage: string; name: string; id?: string }> = [];
  const consumer = new SqsConsumer({
    waitTimeSeconds: 1,
    ...options,
    client,
    onError: (error, { stage, message }) => errors.push({ stage, name: (error as Error).name, id: message?.id }),
  });
  consumer.on('message:deferred', ({ message, retryInSeconds }) => events.push({ ev: 'message:deferred', id: message.id, retryInSeconds }));
  consumer.on('message:handled', ({ message }) => events.push({ ev: 'message:handled', id: message.id }));
  consumers.push(consumer);
  consumer.start();
  return { consumer, client, events, errors };
}

/** Publishes each message `copies` times, the copies side by side in one SendMessageBatch (received together). */
async function publish(queueUrl: string, count: number, copies = 1) {
  const messages = Array.from({ length: count }, (_, i) => outboxMessage({ subject: 'order.paid', body: { i } }));
  const results = await new SqsTransport({ client: sqs, routes: () => queueUrl }).publish(messages.flatMap((m) => Array.from({ length: copies }, () => m)), { ordered: false });
  expect(results.every((r) => r.status === 'sent')).toBe(true);
  return messages;
}

const effects = async (id: string) => (await pool.query<{ receive_count: number }>('SELECT receive_count FROM effects WHERE message_id = $1', [id])).rows.map((r) => r.receive_count);
const inboxStatus = async (id: string) => (await pool.query<{ status: string }>('SELECT status FROM inbox WHERE message_id = $1', [id])).rows.map((r) => r.status);
const transactionalStore = () => new TransactionalInboxStore({ dataSource });
// The patched DataSource.query joins the transaction the inbox store opened around the handler.
const writeEffect = (m: ConsumedMessage) => dataSource.query('INSERT INTO effects (message_id, receive_count) VALUES ($1, $2)', [m.id, m.receiveCount]);

describe('SqsConsumer with a PostgreSQL inbox', () => {
  it('deletes a message only once its handler\'s transaction committed, and never one whose commit failed', async () => {
    const queueUrl = await createQueue(sqs, 'inbox-commit', { visibilityTimeout: 600 });
    const [ok1, ok2, doomed] = await publish(queueUrl, 3);
    const client = new SQSClient(awsConfig());
    const calls = recordCalls(client);
    // At each DeleteMessageBatch, before it is sent: is every message in it committed as done?
    const handleToId = new Map<string, string>();
    const uncommittedAtDelete: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteMessageBatchCommand') {
          for (const { ReceiptHandle } of (args.input as { Entries: Array<{ ReceiptHandle: string }> }).Entries) {
            const id = handleToId.get(ReceiptHandle)!;
            if ((await inboxStatus(id)).join() !== 'done') uncommittedAtDelete.push(id);
          }
        }
        const result = await next(args);
        if (context.commandName === 'ReceiveMessageCommand') {
          for (const m of (result.output as { Messages?: Array<{ ReceiptHandle: string; MessageAttributes: Record<string, { StringValue: string }> }> }).Messages ?? []) {
            handleToId.set(m.ReceiptHandle, m.MessageAttributes['outbox-message-id']!.StringValue);
          }
        }
        return result;
      },
      { step: 'initialize', name: 'checkCommittedAtDelete' },
    );
    const { errors, consumer } = startConsumer({
      client,
      queueUrl,
      inbox: { store: transactionalStore(), consumer: 'inbox-commit' },
      handler: async (m) => {
        await writeEffect(m);
        // Two equal ids in a deferred unique constraint: the handler returns, its COMMIT fails.
        if (m.id === doomed!.id) await dataSource.query('INSERT INTO commit_checks (id) VALUES (1), (1)');
      },
    });
    await waitFor(async () => errors.length === 1 && (await effects(ok1!.id)).length === 1 && (await effects(ok2!.id)).length === 1);
    await consumer.stop();

    expect(errors).toEqual([{ stage: 'handler', name: 'QueryFailedError', id: doomed!.id }]);
    expect(uncommittedAtDelete).toEqual([]);
    const deletedIds = calls
      .filter((c) => c.command === 'DeleteMessageBatchCommand')
      .flatMap((c) => (c.input.Entries as Array<{ ReceiptHandle: string }>).map((e) => handleToId.get(e.ReceiptHandle)));
    expect(deletedIds.sort()).toEqual([ok1!.id, ok2!.id].sort());
    // The doomed one rolled back whole (its effect and its record) and is still on the queue.
    expect(await effects(doomed!.id)).toEqual([]);
    expect(await inboxStatus(doomed!.id)).toEqual([]);
    expect(await queueDepth(sqs, queueUrl)).toBe(1);
  });

  it('TransactionalInboxStore: a copy received beside the first waits for its transaction and is deleted as a duplicate, no error, no redelivery', async () => {
    const queueUrl = await createQueue(sqs, 'inbox-twin-tx');
    const messages = await publish(queueUrl, 5, 2);
    const { events, errors } = startConsumer({ queueUrl, inbox: { store: transactionalStore(), consumer: 'twin-tx' }, handler: writeEffect });
    await waitFor(async () => events.filter((e) => e.ev === 'message:handled').length === 10 && (await queueDepth(sqs, queueUrl)) === 0);
    for (const m of messages) expect(await effects(m.id)).toEqual([1]);
    expect(events.filter((e) => e.ev === 'message:deferred')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('PostgresInboxStore: a copy received while the first runs is put back until that lease ends, not reported as an error', async () => {
    const queueUrl = await createQueue(sqs, 'inbox-twin-lease', { visibilityTimeout: 30 });
    const [message] = await publish(queueUrl, 1, 2);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { events, errors } = startConsumer({
      queueUrl,
      inbox: { store: new PostgresInboxStore({ pool }), consumer: 'twin-lease', leaseMs: 4_000 },
      handler: async (m) => {
        await pool.query('INSERT INTO effects (message_id, receive_count) VALUES ($1, $2)', [m.id, m.receiveCount]);
        await gate;
      },
    });
    // The first copy holds its handler until the second was put back.
    try {
      await waitFor(() => events.some((e) => e.ev === 'message:deferred'));
    } finally {
      release();
    }
    await waitFor(async () => events.filter((e) => e.ev === 'message:handled').length === 2 && (await queueDepth(sqs, queueUrl)) === 0, 30_000);
    const deferred = events.filter((e) => e.ev === 'message:deferred');
    // Put back for what was left of the 4 s lease, not the queue's 30 s visibility timeout.
    expect(deferred.map((e) => e.id)).toEqual([message!.id]);
    expect(deferred[0]!.retryInSeconds).toBeGreaterThanOrEqual(1);
    expect(deferred[0]!.retryInSeconds).toBeLessThanOrEqual(4);
    expect(await effects(message!.id)).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('TransactionalInboxStore: the handler\'s database connection dies mid-handler; nothing is left behind, the next receive runs it', async () => {
    const queueUrl = await createQueue(sqs, 'inbox-conn-dies');
    const [message] = await publish(queueUrl, 1);
    const { events, errors } = startConsumer({
      queueUrl,
      retryDelaySeconds: 0,
      inbox: { store: transactionalStore(), consumer: 'conn-dies', leaseMs: 600_000 },
      handler: async (m) => {
        await writeEffect(m);
        // The first run loses its connection, as a failover or a killed backend does.
        if (m.receiveCount === 1) await dataSource.query('SELECT pg_terminate_backend(pg_backend_pid())');
      },
    });
    await waitFor(async () => events.some((e) => e.ev === 'message:handled') && (await queueDepth(sqs, queueUrl)) === 0);
    // Run again at the second receive, not after a 10-minute lease; one effect, from that run.
    expect(await effects(message!.id)).toEqual([2]);
    expect(events.filter((e) => e.ev === 'message:deferred')).toEqual([]);
    expect(errors.map((e) => e.stage)).toEqual(['handler']);
  });

  it('PostgresInboxStore: the database goes silent mid-handler and the release fails; the redelivery waits out the lease in one receive', async () => {
    const queueUrl = await createQueue(sqs, 'inbox-orphan', { visibilityTimeout: 30 });
    const [message] = await publish(queueUrl, 1);
    const url = new URL(db.url);
    const proxy = await startSilentProxy({ host: url.hostname, port: Number(url.port) });
    proxies.push(proxy);
    url.host = `127.0.0.1:${proxy.port}`;
    const proxied = new pg.Pool({ connectionString: url.toString(), query_timeout: 300, connectionTimeoutMillis: 300 });
    pools.push(proxied);
    // The database comes back once every try of the release has failed: the lease is orphaned.
    let releaseFailures = 0;
    const store = new PostgresInboxStore({
      pool: {
        query: (text: string, values?: unknown[]) =>
          proxied.query(text, values).catch((error: unknown) => {
            if (/^DELETE/.test(text.trim()) && ++releaseFailures === 3) proxy.resume();
            throw error;
          }),
      } as pg.Pool,
    });
    const { events, errors } = startConsumer({
      queueUrl,
      // As aggressive as a redrive setting gets: without the put-back, each in-progress copy would come back at once.
      retryDelaySeconds: 0,
      inbox: { store, consumer: 'orphan', leaseMs: 3_000 },
      handler: async (m) => {
        if (m.receiveCount === 1) {
          proxy.silence();
          throw new Error('the database is gone');
        }
        await pool.query('INSERT INTO effects (message_id, receive_count) VALUES ($1, $2)', [m.id, m.receiveCount]);
      },
    });
    await waitFor(async () => events.some((e) => e.ev === 'message:handled') && (await queueDepth(sqs, queueUrl)) === 0, 30_000);

    expect(releaseFailures).toBe(3);
    // Receive 1 failed, receive 2 met the orphaned lease and was put back for its rest, receive 3 ran it.
    expect(await effects(message!.id)).toEqual([3]);
    const deferred = events.filter((e) => e.ev === 'message:deferred');
    expect(deferred).toHaveLength(1);
    expect(deferred[0]!.retryInSeconds).toBeLessThanOrEqual(3);
    expect(errors).toEqual([{ stage: 'handler', name: 'Error', id: message!.id }]);
  });
});
