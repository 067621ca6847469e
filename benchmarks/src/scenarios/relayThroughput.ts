import { barePublishLoop } from '../support/barePublishLoop.js';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { createTopic } from '../support/awsResources.js';
import { drainBacklog } from '../support/drainBacklog.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { seedMessages } from '../sql/seedMessages.js';
import type { RelayWorkerConfig } from '../workers/RelayWorkerConfig.js';

/**
 * Relay tuning used by the throughput scenarios: 100 rows per claim (10 PublishBatch calls), 4 claims
 * in flight, 4 PublishBatch calls in flight per claim: at most 16 calls in flight, the concurrency the
 * broker bound is measured at.
 */
export const TUNED_RELAY = { batchSize: 100, maxInFlight: 4, concurrency: 4, pollIntervalMs: 1000 } as const;
export const TUNED_CALLS_IN_FLIGHT = TUNED_RELAY.maxInFlight * Math.min(TUNED_RELAY.concurrency, TUNED_RELAY.batchSize / 10);

/**
 * 1. Drain N pending ~500 B messages to an SNS topic with no subscribers (so the broker does no fan-out
 * work and the bound is PublishBatch itself), next to its two bounds: the same relay with a no-op
 * transport (database bound) and a bare PublishBatch loop at the same calls in flight (broker bound).
 */
export async function relayThroughput(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.sizes.drainMessages;
  const topicArn = await createTopic(ctx.sns, 'bench-throughput');
  const db = await openBenchDatabase(ctx, 'throughput');
  try {
    const base: RelayWorkerConfig = {
      databaseUrl: db.url,
      tableName: 'outbox',
      endpoint: ctx.endpoint,
      topicArn,
      transport: 'sns',
      listen: true,
      ...TUNED_RELAY,
    };
    const table = await db.createOutbox('outbox');
    await seedMessages(db.pool, table, n);
    ctx.log(`  relay → SNS, ${n} messages`);
    const relay = await drainBacklog(db.pool, table, base);
    await db.pool.query(`TRUNCATE ${table}`);
    await seedMessages(db.pool, table, n);
    ctx.log(`  relay → no-op transport (database bound)`);
    const dbBound = await drainBacklog(db.pool, table, { ...base, transport: 'noop' });
    ctx.log(`  bare PublishBatch loop at ${TUNED_CALLS_IN_FLIGHT} in flight (broker bound)`);
    const broker = await barePublishLoop(ctx.sns, topicArn, n, TUNED_CALLS_IN_FLIGHT);
    const bound = Math.min(dbBound.msgPerSec, broker.msgPerSec);
    const ratio = relay.msgPerSec / bound;
    const limiter = dbBound.msgPerSec < broker.msgPerSec ? 'database' : 'broker';
    return {
      id: 'relay-throughput',
      title: '1. Relay throughput (drain to SNS)',
      figures: {
        'relay msg/s': relay.msgPerSec,
        'no-op transport msg/s (db bound)': dbBound.msgPerSec,
        'bare PublishBatch msg/s (broker bound)': broker.msgPerSec,
        messages: n,
      },
      settings: { ...TUNED_RELAY, publishBatchCallsInFlight: TUNED_CALLS_IN_FLIGHT, target: 'SNS topic, no subscribers' },
      checks: [check('relay ÷ min(bounds)', ratio, '>=', 0.8)],
      notes: [`the lower bound is the ${limiter}`],
    };
  } finally {
    await db.close();
  }
}
