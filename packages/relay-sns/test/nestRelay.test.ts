// OutboxModule.forRootAsync + OutboxRelayModule in a real Nest app, on its own PostgreSQL (so the
// test can stop it) and the real SNS/SQS endpoint: the relay starts with the app, publishes, drains
// on app.close(), and its Terminus indicator follows the database.
import 'reflect-metadata';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { startPostgres, type RunningPostgres } from '@tx-outbox/devkit';
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import { dropOutboxTableDdl, outboxTableDdl } from '@tx-outbox/outbox-typeorm/internal';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { addTransactionalDataSource, initializeTransactionalContext, runInTransaction, StorageDriver } from 'typeorm-transactional';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OutboxRelayHealthIndicator, OutboxRelayModule, OutboxRelayService } from '../src/nest/index.js';
import { awsConfig, createQueue, createTopic, receiveAll, subscribeQueue, waitFor } from './support/aws.js';

let postgres: RunningPostgres;
let pool: pg.Pool;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
let queueUrl: string;

beforeAll(async () => {
  initializeTransactionalContext({ storageDriver: StorageDriver.ASYNC_LOCAL_STORAGE });
  postgres = await startPostgres({ forceEmbedded: true });
  pool = new pg.Pool({ connectionString: postgres.url });
  // One test stops PostgreSQL: a client pool.end() is still closing then gets the server's shutdown
  // message, and a pool with no 'error' listener would throw it as an uncaught error.
  pool.on('error', () => {});
  for (const statement of outboxTableDdl({ tableName: 'payments_outbox' })) await pool.query(statement);
  sns = new SNSClient(awsConfig());
  sqs = new SQSClient(awsConfig());
  topicArn = await createTopic(sns, 'nest-relay');
  queueUrl = await createQueue(sqs, 'nest-relay');
  await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
}, 120_000);
afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  await pool?.end().catch(() => {});
  await postgres?.stop();
});

/** The app a user writes (decorators applied as calls: the test transform does not compile them). */
async function createApp(dataSource: DataSource, connectionName: string, extra: Record<string, number> = {}): Promise<INestApplicationContext> {
  class DatabaseModule {}
  Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })(DatabaseModule);
  const settings = () => ({ OUTBOX_TABLE: 'payments_outbox', OUTBOX_ROUTES: `payment.*=${topicArn}`, AWS_ENDPOINT_URL: inject('awsEndpoint') });
  class AppModule {}
  Module({
    imports: [
      { module: DatabaseModule, global: true },
      ConfigModule.forRoot({ ignoreEnvFile: true, load: [settings] }),
      TerminusModule,
      OutboxModule.forRootAsync({
        connectionName, // each test registers its own DataSource with typeorm-transactional
        dataSourceToken: DataSource,
        imports: [ConfigModule],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({ tableName: config.getOrThrow<string>('OUTBOX_TABLE') }),
      }),
      OutboxRelayModule.forRootAsync({
        imports: [ConfigModule],
        inject: [ConfigService, DataSource],
        useFactory: (config: ConfigService, source: DataSource) => ({
          dataSource: source,
          tableName: config.getOrThrow<string>('OUTBOX_TABLE'),
          routes: config.getOrThrow<string>('OUTBOX_ROUTES'),
          endpoint: config.get<string>('AWS_ENDPOINT_URL'),
          region: 'us-east-1',
          pollIntervalMs: 100,
          shutdownTimeoutMs: 10_000,
          ...extra,
        }),
      }),
    ],
  })(AppModule);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  app.enableShutdownHooks();
  return app;
}

async function newDataSource(name: string): Promise<DataSource> {
  const source = new DataSource({ type: 'postgres', url: postgres.url });
  await source.initialize();
  return addTransactionalDataSource({ name, dataSource: source });
}

const send = (app: INestApplicationContext, connectionName: string, count: number, from = 0) =>
  runInTransaction(
    () => app.get(TransactionalOutbox).sendEvents(Array.from({ length: count }, (_, i) => ({ subject: 'payment.created', body: { n: from + i } }))),
    { connectionName },
  );

async function health(app: INestApplicationContext) {
  const indicator = app.get(OutboxRelayHealthIndicator);
  return app
    .get(HealthCheckService)
    .check([() => indicator.isHealthy('outbox')])
    .catch((error: { getResponse(): unknown }) => error.getResponse());
}

describe('OutboxRelayModule in a Nest app', () => {
  it('starts with the app, publishes, reports healthy, and on app.close() drains with nothing left leased', async () => {
    const dataSource = await newDataSource('drain');
    const app = await createApp(dataSource, 'drain');
    const relay = app.get(OutboxRelayService).relay;
    expect(relay.running).toBe(true);

    const first = await send(app, 'drain', 20);
    const received = await receiveAll(sqs, queueUrl, 20);
    expect(new Set(received.map((m) => m.MessageAttributes?.['outbox-message-id']?.StringValue))).toEqual(new Set(first));
    await waitFor(async () => (await pool.query(`SELECT count(*)::int AS n FROM payments_outbox WHERE sent_at IS NULL`)).rows[0].n === 0);
    expect(await health(app)).toMatchObject({ status: 'ok', details: { outbox: { status: 'up', pending: 0, dead: 0 } } });

    // Close while a new batch is being published: the relay finishes it before the app lets go.
    const second = await send(app, 'drain', 200, 20);
    await app.close();
    expect(relay.running).toBe(false);
    const { rows } = await pool.query(
      `SELECT count(*) FILTER (WHERE locked_until > now() AND sent_at IS NULL)::int AS leased,
              count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent
         FROM payments_outbox WHERE id = ANY($1)`,
      [second],
    );
    expect(rows[0].leased).toBe(0);
    // What it marked sent did reach the queue (nothing marked sent that was not published).
    const after = await receiveAll(sqs, queueUrl, rows[0].sent, 10_000);
    expect(after.length).toBeGreaterThanOrEqual(rows[0].sent);
    await dataSource.destroy();
    await pool.query(`DELETE FROM payments_outbox`);
  });

  it('runs the table upkeep like the sidecar: a slot of old sent rows is emptied, a dead letter in it stays', async () => {
    // This table keeps sent rows 2 s (slots of 1 s), so a slot falls due within seconds.
    for (const statement of dropOutboxTableDdl({ tableName: 'payments_outbox' })) await pool.query(statement);
    for (const statement of outboxTableDdl({ tableName: 'payments_outbox', retentionMs: 2_000 })) await pool.query(statement);
    try {
      const dataSource = await newDataSource('retention');
      await pool.query(
        `INSERT INTO payments_outbox (id, subject, payload, sent_at, dead_at, last_error)
         VALUES (gen_random_uuid(), 'payment.sent', '{}', now(), NULL, NULL),
                (gen_random_uuid(), 'payment.dead', '{}', NULL, now(), 'poison')`,
      );
      const { rows: before } = await pool.query(`SELECT slot FROM payments_outbox WHERE subject = 'payment.sent'`);
      const app = await createApp(dataSource, 'retention', { retentionIntervalMs: 100 });
      await waitFor(async () => (await pool.query(`SELECT count(*)::int AS n FROM payments_outbox WHERE subject = 'payment.sent'`)).rows[0].n === 0);
      const { rows } = await pool.query(`SELECT subject, slot, last_error FROM payments_outbox ORDER BY subject`);
      expect(rows.map((r) => [r.subject, r.last_error])).toEqual([['payment.dead', 'poison']]);
      expect(rows[0].slot).not.toBe(before[0].slot);
      await app.close();
      await dataSource.destroy();
    } finally {
      for (const statement of dropOutboxTableDdl({ tableName: 'payments_outbox' })) await pool.query(statement);
      for (const statement of outboxTableDdl({ tableName: 'payments_outbox' })) await pool.query(statement);
    }
  });

  it('the Terminus indicator reports down, with its reasons, while the database refuses writes (reads still succeed), and up again after', async () => {
    await pool.query('CREATE DATABASE payments_ro');
    const url = Object.assign(new URL(postgres.url), { pathname: '/payments_ro' }).toString();
    const ro = new pg.Pool({ connectionString: url, max: 1 });
    for (const statement of outboxTableDdl({ tableName: 'payments_outbox' })) await ro.query(statement);
    await ro.end();
    const source = new DataSource({ type: 'postgres', url });
    await source.initialize();
    const dataSource = addTransactionalDataSource({ name: 'read-only', dataSource: source });
    const app = await createApp(dataSource, 'read-only');
    const cutSessions = () => pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'payments_ro' AND pid <> pg_backend_pid()`);
    try {
      await waitFor(async () => ((await health(app)) as { status: string }).status === 'ok');
      // Every new session of the database is read-only now (a read replica would be too).
      await pool.query('ALTER DATABASE payments_ro SET default_transaction_read_only = on');
      await cutSessions();
      let down: { status: string; details: { outbox: { status: string; message: string; reasons: Array<{ check: string; code?: string }> } } } | undefined;
      await waitFor(async () => {
        const h = (await health(app)) as NonNullable<typeof down>;
        if (h.status === 'error' && h.details.outbox.reasons?.some((r) => r.check === 'claims')) down = h;
        return down !== undefined;
      });
      expect(down!.details.outbox.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'writable', code: 'read-only' }), expect.objectContaining({ check: 'claims' })]));
      expect(down!.details.outbox.message).toContain('read-only');

      await pool.query('ALTER DATABASE payments_ro RESET default_transaction_read_only');
      await cutSessions();
      await waitFor(async () => ((await health(app)) as { status: string }).status === 'ok');
    } finally {
      await app.close();
      await dataSource.destroy();
      await pool.query('DROP DATABASE payments_ro WITH (FORCE)');
    }
  });

  it('the Terminus indicator reports down when the database is stopped', async () => {
    const dataSource = await newDataSource('health');
    const app = await createApp(dataSource, 'health');
    // Ready once a first claim has returned.
    await waitFor(async () => ((await health(app)) as { status: string }).status === 'ok');
    expect(await health(app)).toMatchObject({ status: 'ok', details: { outbox: { status: 'up' } } });
    await pool.end();
    await postgres.stop();
    const down = (await health(app)) as { status: string; details: { outbox: { status: string; message: string } } };
    expect(down).toMatchObject({ status: 'error', details: { outbox: { status: 'down' } } });
    expect(down.details.outbox.message).not.toContain('postgres:postgres');
    await app.close();
    await dataSource.destroy().catch(() => {});
  });
});
