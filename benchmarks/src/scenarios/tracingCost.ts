import { performance } from 'node:perf_hooks';
import { trace } from '@opentelemetry/api';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { disableTracing, enableTracing } from '../support/benchTracing.js';
import { createTopic } from '../support/awsResources.js';
import { drainBacklog } from '../support/drainBacklog.js';
import { openOrderService } from '../support/orderService.js';
import { percentiles } from '../support/percentiles.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { FILLER_BYTES, seedMessages } from '../sql/seedMessages.js';
import type { RelayWorkerConfig } from '../workers/RelayWorkerConfig.js';
import { TUNED_RELAY } from './relayThroughput.js';

/**
 * 9. Tracing cost: scenarios 1 and 3 with a real OpenTelemetry SDK (AsyncLocalStorage context, W3C
 * propagator, BatchSpanProcessor, an exporter that sends nothing) beside no SDK at all.
 * - publisher: `@Transactional()` insert + `sendEvent`, tracing off and on alternating per transaction
 *   (on: inside a request span, so sendEvent records its `create` span and stores a traceparent);
 * - relay: drains of N messages carrying a traceparent to SNS, off, on, off, on (a `send` span per
 *   PublishBatch, linked to each message); the mean of the two drains of each kind.
 */
export async function tracingCost(ctx: BenchContext): Promise<ScenarioResult> {
  const publisher = await publisherWithTracing(ctx);
  const relay = await relayWithTracing(ctx);
  return {
    id: 'tracing',
    title: '9. Tracing cost (OpenTelemetry SDK, no-op exporter)',
    figures: {
      'sendEvent tx p50 ms, tracing off': publisher.off.p50,
      'sendEvent tx p50 ms, tracing on': publisher.on.p50,
      'sendEvent tx p99 ms, tracing off': publisher.off.p99,
      'sendEvent tx p99 ms, tracing on': publisher.on.p99,
      'relay msg/s, tracing off': relay.off,
      'relay msg/s, tracing on': relay.on,
    },
    settings: { transactionsEach: publisher.transactions, drainMessages: relay.messages, drainsEach: ctx.quick ? 1 : 2, ...TUNED_RELAY },
    checks: [
      check('publisher p50 ratio (on ÷ off)', publisher.on.p50 / publisher.off.p50, '<=', 1.1),
      check('relay throughput ratio (on ÷ off)', relay.on / relay.off, '>=', 0.9),
    ],
    notes: [],
  };
}

/** Quick mode (CI) only checks that the scenario runs: a few transactions and messages. */
const QUICK = { transactions: 50, warmUp: 10, drainMessages: 1_000 };

async function publisherWithTracing(ctx: BenchContext) {
  const n = ctx.quick ? QUICK.transactions : ctx.sizes.publisherTransactions;
  const warmUp = ctx.quick ? QUICK.warmUp : 200;
  const db = await openBenchDatabase(ctx, 'tracing_publisher', 2);
  await db.createOutbox('outbox');
  const service = await openOrderService(db.url, 'bench-tracing');
  const body = (i: number) => ({ orderId: i, kind: 'order.created', data: 'x'.repeat(FILLER_BYTES) });
  const traced = (i: number) => trace.getTracer('bench').startActiveSpan('POST /orders', (span) => service.placeOrderWithEvent(i, body(i)).finally(() => span.end()));
  try {
    for (let i = 0; i < Math.min(warmUp, n); i++) {
      await service.placeOrderWithEvent(i, body(i));
      enableTracing();
      await traced(i);
      disableTracing();
    }
    const off: number[] = [];
    const on: number[] = [];
    for (let i = 0; i < 2 * n; i++) {
      // Alternate per transaction (and which goes first), so drift of the shared machine hits both alike.
      const tracing = i % 4 === 1 || i % 4 === 2;
      if (tracing) enableTracing();
      const start = performance.now();
      await (tracing ? traced(i) : service.placeOrderWithEvent(i, body(i)));
      (tracing ? on : off).push(performance.now() - start);
      if (tracing) disableTracing();
    }
    return { off: percentiles(off), on: percentiles(on), transactions: n };
  } finally {
    disableTracing();
    await service.close();
    await db.close();
  }
}

async function relayWithTracing(ctx: BenchContext) {
  const n = ctx.quick ? QUICK.drainMessages : ctx.sizes.drainMessages;
  const topicArn = await createTopic(ctx.sns, 'bench-tracing');
  const db = await openBenchDatabase(ctx, 'tracing_relay');
  try {
    const table = await db.createOutbox('outbox');
    const base: RelayWorkerConfig = { databaseUrl: db.url, tableName: 'outbox', endpoint: ctx.endpoint, topicArn, transport: 'sns', listen: true, ...TUNED_RELAY };
    const rates = { off: [] as number[], on: [] as number[] };
    for (const tracing of ctx.quick ? [false, true] : [false, true, false, true]) {
      await db.pool.query(`TRUNCATE ${table}`);
      await seedMessages(db.pool, table, n, { traceparent: true });
      ctx.log(`  relay → SNS, ${n} messages with a traceparent, tracing ${tracing ? 'on' : 'off'}`);
      const result = await drainBacklog(db.pool, table, { ...base, tracing });
      rates[tracing ? 'on' : 'off'].push(result.msgPerSec);
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    return { off: mean(rates.off), on: mean(rates.on), messages: n };
  } finally {
    await db.close();
  }
}
