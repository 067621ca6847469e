import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { Relay, InMemoryInboxStore, OUTBOX_ID_ATTRIBUTE } from '@tx-outbox/outbox-core';
import { InMemoryOutboxStore, TestTransport, waitFor } from '@tx-outbox/outbox-core/testing';
import { ensurePromtool, promtool } from '@tx-outbox/devkit';
import { Registry } from 'prom-client';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { SqsConsumer, registerConsumerMetrics, registerRelayMetrics } from '../src/index.js';
import { awsConfig, createQueue, createTopic, subscribeQueue } from './support/aws.js';
import { useCliDatabase } from './support/cliDatabase.js';
import { startCli } from './support/cliProcess.js';

const OPS = fileURLToPath(new URL('../../../ops/prometheus/', import.meta.url));


/** Value of one sample in the text exposition, e.g. `sample(text, 'x_total{route="a"}')`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  await ensurePromtool();
}, 600_000);

describe('the alert rules in ops/prometheus', () => {
  it('pass promtool check rules', async () => {
    const { code, output } = await promtool(['check', 'rules', join(OPS, 'outbox-alerts.yml')]);
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
  });

  it('fire on lag, dead messages, a blocked route and a relay that stopped claiming (promtool test rules)', async () => {
    const { code, output } = await promtool(['test', 'rules', 'outbox-alerts.test.yml'], { cwd: OPS });
    expect(output, output).toContain('SUCCESS');
    expect(code).toBe(0);
  });
});

describe("the sidecar's /metrics", () => {
  const cli = useCliDatabase('metrics');

  it('passes promtool check metrics, with process metrics, the relay histograms and route labels', async () => {
    const sns = new SNSClient(awsConfig());
    const sqs = new SQSClient(awsConfig());
    const topicArn = await createTopic(sns, 'metrics');
    const queueUrl = await createQueue(sqs, 'metrics');
    await subscribeQueue(sns, sqs, topicArn, queueUrl, true);
    const env = { DATABASE_URL: cli.db.url, OUTBOX_ROUTES: `m.*=${topicArn}`, AWS_ENDPOINT_URL: inject('awsEndpoint'), OUTBOX_HTTP_PORT: '0' };
    const migrate = startCli(['migrate'], env);
    expect((await migrate.exited).code).toBe(0);
    const relay = startCli(['run', '--poll-interval-ms', '100'], env);
    cli.running.push(relay);
    try {
      const { port } = await relay.waitForLog((l) => l.msg === 'outbox-relay listening');
      await relay.waitForLog((l) => l.msg === 'outbox-relay started');
      await cli.pool.query(`INSERT INTO outbox (id, subject, payload) SELECT gen_random_uuid(), 'm.created', jsonb_build_object('n', n) FROM generate_series(1, 12) n`);
      const topic = topicArn.slice(topicArn.lastIndexOf(':') + 1);
      let text = '';
      await waitFor(async () => {
        text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return sample(text, `outbox_messages_published_total{route="${topic}"}`) === 12;
      }, { timeoutMs: 60_000, intervalMs: 100 });

      const checked = await promtool(['check', 'metrics'], { stdin: text });
      expect(checked.output).toBe('');
      expect(checked.code).toBe(0);
      // By their TYPE lines: the GC histogram has no sample until the first collection.
      for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds']) {
        expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
      }
      for (const histogram of ['outbox_claim_duration_seconds', 'outbox_claim_size_messages', 'outbox_publish_duration_seconds', 'outbox_commit_to_publish_seconds']) {
        expect(text).toContain(`# TYPE ${histogram} histogram`);
        expect(sample(text, `${histogram}_count`)).toBeGreaterThan(0);
      }
      expect(sample(text, 'outbox_commit_to_publish_seconds_count')).toBe(12);
      expect(sample(text, 'outbox_relay_last_claim_timestamp_seconds')).toBeGreaterThan(0);
      expect(text).toContain('# TYPE outbox_pending_messages gauge');

      // Every series the dashboard and the alert rules query is one the sidecar or registerConsumerMetrics exports.
      const consumerRegistry = new Registry();
      registerConsumerMetrics({ queueName: 'q', on: () => () => undefined }, { registry: consumerRegistry });
      const exported = new Set([...`${text}\n${await consumerRegistry.metrics()}`.matchAll(/^# TYPE (\S+) (\w+)$/gm)].map((m) => m[1]));
      const used = new Set(
        [...`${await readFile(join(OPS, 'outbox-alerts.yml'), 'utf8')}\n${await readFile(join(OPS, '../grafana/outbox-dashboard.json'), 'utf8')}`.matchAll(/\b((?:outbox|nodejs|process)_[a-z0-9_]+)/g)]
          .map((m) => m[1]!.replace(/_(bucket|sum|count)$/, '')),
      );
      expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
      sns.destroy();
      sqs.destroy();
    }
  });
});

describe('metrics in process, on your own registry', () => {
  it('registerRelayMetrics counts per route and observes the histograms of a running Relay', async () => {
    const registry = new Registry();
    const store = new InMemoryOutboxStore();
    const transport = new TestTransport();
    transport.failWhen({ subject: 'refund.created' }, { status: 'permanent', error: 'InvalidParameter: bad message' });
    transport.failWhen({ subject: 'order.created' }, { status: 'blocked', error: 'AuthorizationError: not allowed' });
    const relay = new Relay({ store, transport, pollIntervalMs: 20, retry: { maxAttempts: 1 } });
    const metrics = registerRelayMetrics(relay, {
      registry,
      routeOf: (subject) => (subject.startsWith('payment.') ? 'arn:aws:sns:eu-west-1:123456789012:payments' : 'arn:aws:sns:eu-west-1:123456789012:refunds'),
    });
    store.add([{ subject: 'payment.created', body: { n: 1 } }, { subject: 'payment.created', body: { n: 2 } }, { subject: 'refund.created', body: {} }, { subject: 'order.created', body: {} }]);
    await relay.start();
    try {
      await waitFor(async () => sample(await registry.metrics(), 'outbox_messages_dead_total{route="refunds"}') === 1, { intervalMs: 20 });
      const text = await registry.metrics();
      expect(sample(text, 'outbox_messages_published_total{route="payments"}')).toBe(2);
      expect(sample(text, 'outbox_commit_to_publish_seconds_count')).toBe(2);
      expect(sample(text, 'outbox_publish_duration_seconds_count')).toBeGreaterThan(0);
      // TestTransport reports a blocked message's subject as its route.
      await waitFor(async () => sample(await registry.metrics(), 'outbox_route_blocked{route="order.created"}') === 1, { intervalMs: 20 });
      expect(sample(await registry.metrics(), 'outbox_route_blocked_total{route="order.created"}')).toBe(1);
    } finally {
      await relay.stop();
    }
    metrics.remove();
    expect(await registry.metrics()).not.toContain('outbox_');
  });

  it('the backlog gauges read NaN (unknown), never 0, before the first read and while reads fail', async () => {
    const store = new InMemoryOutboxStore();
    let failing = false;
    const stats = store.stats.bind(store);
    store.stats = async () => {
      if (failing) throw new Error('canceling statement due to statement timeout');
      return stats();
    };
    store.add([{ subject: 'g.one', body: {}, delayMs: 3_600_000 }]);
    const registry = new Registry();
    const relay = new Relay({ store, transport: new TestTransport(), statsIntervalMs: 20, pollIntervalMs: 10, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    const metrics = registerRelayMetrics(relay, { registry });
    try {
      expect(sample(await registry.metrics(), 'outbox_pending_messages')).toBeNaN();
      await relay.start();
      await waitFor(async () => sample(await registry.metrics(), 'outbox_pending_messages') === 1);
      failing = true;
      await waitFor(async () => Number.isNaN(sample(await registry.metrics(), 'outbox_pending_messages')));
      expect(sample(await registry.metrics(), 'outbox_oldest_pending_age_seconds')).toBeNaN();
      failing = false;
      await waitFor(async () => sample(await registry.metrics(), 'outbox_pending_messages') === 1);
      expect(sample(await registry.metrics(), 'outbox_backlog_approximate')).toBe(0);
    } finally {
      await relay.stop();
      metrics.remove();
    }
  });

  it('registerConsumerMetrics counts processed, duplicate and failed deliveries of a real SqsConsumer', async () => {
    const sqs = new SQSClient(awsConfig());
    const queueUrl = await createQueue(sqs, 'consumer-metrics');
    const registry = new Registry();
    let failOnce = true;
    const consumer = new SqsConsumer({
      client: sqs,
      queueUrl,
      waitTimeSeconds: 1,
      retryDelaySeconds: 0,
      // One at a time: two copies of one id handled at once would make the second "in progress" (failed), not a duplicate.
      concurrency: 1,
      inbox: { store: new InMemoryInboxStore(), consumer: 'metrics' },
      handler: async ({ body }) => {
        if ((body as { fail?: boolean }).fail && failOnce) {
          failOnce = false;
          throw new Error('first try fails');
        }
      },
      onError: () => undefined,
    });
    registerConsumerMetrics(consumer, { registry });
    const send = (id: string, body: unknown) =>
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body), MessageAttributes: { [OUTBOX_ID_ATTRIBUTE]: { DataType: 'String', StringValue: id } } }));
    await send('00000000-0000-7000-8000-000000000001', {});
    await send('00000000-0000-7000-8000-000000000001', {});
    await send('00000000-0000-7000-8000-000000000002', { fail: true });
    consumer.start();
    try {
      const queue = consumer.queueName;
      // Four deliveries: id 1 processed and its copy a duplicate; id 2 failed once, then processed.
      await waitFor(async () => sample(await registry.metrics(), `outbox_consumer_handler_duration_seconds_count{queue="${queue}"}`) === 4, { timeoutMs: 60_000, intervalMs: 100 });
      const text = await registry.metrics();
      expect(sample(text, `outbox_consumer_messages_total{queue="${queue}",outcome="processed"}`)).toBe(2);
      expect(sample(text, `outbox_consumer_messages_total{queue="${queue}",outcome="duplicate"}`)).toBe(1);
      expect(sample(text, `outbox_consumer_messages_total{queue="${queue}",outcome="failed"}`)).toBe(1);
      expect(sample(text, `outbox_consumer_errors_total{queue="${queue}",stage="handler"}`)).toBe(1);
      expect(sample(text, `outbox_consumer_handler_duration_seconds_count{queue="${queue}"}`)).toBe(4);
    } finally {
      await consumer.stop();
      sqs.destroy();
    }
  });
});
