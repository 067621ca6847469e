import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { createTopic } from '../support/awsResources.js';
import { startDelayProxy } from '../support/delayProxy.js';
import { drainBacklog } from '../support/drainBacklog.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { seedMessages } from '../sql/seedMessages.js';
import type { RelayWorkerConfig } from '../workers/RelayWorkerConfig.js';
import { TUNED_RELAY } from './relayThroughput.js';

const INJECTED_LATENCY_MS = 20;

/**
 * 6. Scale-out: 1, 2 and 4 relay processes draining one backlog; then one relay behind a local HTTP
 * proxy that holds every request 20 ms (the round trip to real SNS) with batchSize 10 and
 * concurrency 1, so one claimed batch is one PublishBatch call, at 1, 4 and 16 batches in flight.
 */
export async function scaleOut(ctx: BenchContext): Promise<ScenarioResult> {
  const topicArn = await createTopic(ctx.sns, 'bench-scaleout');
  const db = await openBenchDatabase(ctx, 'scaleout');
  const proxy = await startDelayProxy(ctx.endpoint, INJECTED_LATENCY_MS);
  const figures: Record<string, number> = {};
  let at16 = 0;
  try {
    const table = await db.createOutbox('outbox');
    const base: RelayWorkerConfig = {
      databaseUrl: db.url, tableName: 'outbox', endpoint: ctx.endpoint, topicArn, transport: 'sns', listen: true, ...TUNED_RELAY,
    };
    for (const processes of [1, 2, 4]) {
      await db.pool.query(`TRUNCATE ${table}`);
      await seedMessages(db.pool, table, ctx.sizes.scaleOutMessages);
      ctx.log(`  ${processes} relay process(es)`);
      const result = await drainBacklog(db.pool, table, base, processes);
      figures[`${processes} process${processes > 1 ? 'es' : ''} msg/s`] = result.msgPerSec;
    }
    for (const maxInFlight of [1, 4, 16]) {
      await db.pool.query(`TRUNCATE ${table}`);
      await seedMessages(db.pool, table, ctx.sizes.delayedMessagesPerBatchInFlight * maxInFlight);
      ctx.log(`  +${INJECTED_LATENCY_MS} ms broker latency, ${maxInFlight} batch(es) of 10 in flight`);
      const result = await drainBacklog(db.pool, table, { ...base, endpoint: proxy.url, batchSize: 10, concurrency: 1, maxInFlight });
      figures[`+${INJECTED_LATENCY_MS} ms, ${maxInFlight} in flight msg/s`] = result.msgPerSec;
      if (maxInFlight === 16) at16 = result.msgPerSec;
    }
    return {
      id: 'scale-out',
      title: '6. Scale-out and broker latency',
      figures,
      settings: { ...TUNED_RELAY, injectedLatencyMs: INJECTED_LATENCY_MS, latencyBy: 'local HTTP proxy (delays each request)', delayedBatchSize: 10 },
      checks: [check(`msg/s at 16 in flight, +${INJECTED_LATENCY_MS} ms`, at16, '>=', 4000)],
      notes: [],
    };
  } finally {
    await proxy.close();
    await db.close();
  }
}
