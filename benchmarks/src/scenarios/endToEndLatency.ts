import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { createSubscribedQueue } from '../support/awsResources.js';
import { offerLoad } from '../support/offerLoad.js';
import { openOrderService } from '../support/orderService.js';
import { percentiles } from '../support/percentiles.js';
import { epochNow } from '../support/queueReceiver.js';
import { startReceiverProcess } from '../support/receiverProcess.js';
import { startRelayProcess } from '../support/relayProcess.js';
import { check, type ScenarioResult, type TargetCheck } from '../support/ScenarioResult.js';
import { FILLER_BYTES } from '../sql/seedMessages.js';
import { TUNED_RELAY } from './relayThroughput.js';

/** Fallback poll of the polling-only relay. */
const POLL_ONLY_INTERVAL_MS = 100;
/**
 * Long-poll loops of the consumer. Few on purpose: fauxqs answers every waiting long poll when one
 * message arrives (all but one then come back empty and poll again), so each loop adds a round trip
 * per published batch that real SQS would not make. Three receive far more than the producer offers.
 */
const RECEIVE_LOOPS = 3;

/**
 * 4. Commit → received on an SQS queue subscribed (raw delivery) to the topic. The producer
 * (`@Transactional()` + `sendEvent`, this process) notes the time when the commit returned; the
 * consumer (SQS long polls, a process of its own, same wall clock) the time of receipt. The relay runs
 * in its own process, with the NOTIFY wake-up, then with polling only (a store that hides `subscribe`).
 * The producer's event-loop delay is measured too: its commit times are late by about that much.
 */
export async function endToEndLatency(ctx: BenchContext): Promise<ScenarioResult> {
  const { topicArn, queueUrl } = await createSubscribedQueue(ctx.sns, ctx.sqs, 'bench-latency');
  const db = await openBenchDatabase(ctx, 'latency', 2);
  const table = await db.createOutbox('outbox');
  const service = await openOrderService(db.url, 'bench-latency');
  const figures: Record<string, number> = {};
  const checks: TargetCheck[] = [];
  const notes: string[] = [];
  let offset = 0;
  try {
    for (const listen of [true, false]) {
      for (const ratePerSec of ctx.sizes.latencyRates) {
        const label = `${listen ? 'NOTIFY' : `poll ${POLL_ONLY_INTERVAL_MS} ms`} @${ratePerSec}/s`;
        ctx.log(`  ${label}`);
        const relay = await startRelayProcess({
          databaseUrl: db.url, tableName: 'outbox', endpoint: ctx.endpoint, topicArn, transport: 'sns', listen,
          ...TUNED_RELAY, pollIntervalMs: listen ? TUNED_RELAY.pollIntervalMs : POLL_ONLY_INTERVAL_MS,
        });
        relay.go();
        const receiver = await startReceiverProcess(ctx.endpoint, queueUrl, RECEIVE_LOOPS);
        await sleep(300); // the relay subscribes and the receivers' first long polls are open
        const committed = new Map<number, number>();
        const base = offset;
        const loopDelay = monitorEventLoopDelay({ resolution: 1 });
        loopDelay.enable();
        const load = await offerLoad(ratePerSec, ctx.sizes.latencySeconds, async (i) => {
          const n = base + i;
          await service.placeOrderWithEvent(n, { n, kind: 'order.created', data: 'x'.repeat(FILLER_BYTES) });
          committed.set(n, epochNow());
        });
        loopDelay.disable();
        offset += load.sent;
        const deadline = Date.now() + 30_000;
        while ([...committed.keys()].some((n) => !receiver.received.has(n)) && Date.now() < deadline) await sleep(50);
        await receiver.stop();
        const relaySample = await relay.sample();
        await relay.stop();
        const latencies = [...committed].flatMap(([n, at]) => (receiver.received.has(n) ? [receiver.received.get(n)![1] - at] : []));
        const lost = committed.size - latencies.length;
        if (lost > 0) notes.push(`${label}: ${lost} messages not received within 30 s`);
        const p = percentiles(latencies);
        figures[`${label} p50 ms`] = p.p50;
        figures[`${label} p95 ms`] = p.p95;
        figures[`${label} p99 ms`] = p.p99;
        figures[`${label} achieved msg/s`] = load.achievedPerSec;
        if (listen && ratePerSec === ctx.sizes.latencyRates[0]) {
          checks.push(check(`${label} p50 ms`, p.p50, '<=', 10), check(`${label} p99 ms`, p.p99, '<=', 50));
          // Where the time goes (same machine clock, ms resolution): commit → in the queue (wake-up,
          // claim, publish call, the emulator's fan-out), queue → received (the consumer's long poll),
          // and the relay's own claim, publish-call and mark times.
          const toQueue = [...committed].flatMap(([n, at]) => (receiver.received.has(n) ? [receiver.received.get(n)![0] - at] : []));
          const fromQueue = [...receiver.received.values()].map(([sentAt, receivedAt]) => receivedAt - sentAt);
          // How late this process (the producer) ran its callbacks, so how late its commit times may be.
          figures[`${label} producer event-loop delay p50 ms`] = loopDelay.percentile(50) / 1e6;
          figures[`${label} producer event-loop delay p99 ms`] = loopDelay.percentile(99) / 1e6;
          for (const [part, samples] of [
            ['commit → in SQS (SentTimestamp)', toQueue],
            ['in SQS → received', fromQueue],
            ['relay claim', relaySample.claimMs],
            ['relay publish call (the PublishBatch calls of a claimed batch)', relaySample.publishMs],
            ['relay mark', relaySample.markMs],
          ] as const) {
            const q = percentiles(samples.filter(Number.isFinite));
            figures[`${label} ${part} p50 ms`] = q.p50;
            figures[`${label} ${part} p99 ms`] = q.p99;
          }
        }
        await db.pool.query(`TRUNCATE ${table}`);
      }
    }
    return {
      id: 'latency',
      title: '4. End-to-end latency (commit → SQS)',
      figures,
      settings: { ...TUNED_RELAY, pollOnlyIntervalMs: POLL_ONLY_INTERVAL_MS, seconds: ctx.sizes.latencySeconds, delivery: 'SNS → SQS raw' },
      checks,
      notes,
    };
  } finally {
    await service.close();
    await db.close();
  }
}
