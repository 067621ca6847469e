import { DEFAULT_RELAY_OPTIONS } from '@tx-outbox/outbox-core/internal';
import { DEFAULT_TRANSPORT_OPTIONS } from '@tx-outbox/relay-sns';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { drainBacklog } from '../support/drainBacklog.js';
import { check, type ScenarioResult, type TargetCheck } from '../support/ScenarioResult.js';
import { seedMessages } from '../sql/seedMessages.js';

/** The broker's answer time the scenario simulates (a real SNS region is about this far). */
const BROKER_MS = 20;
/**
 * The relay's defaults (RelayOptions) and SnsTransport's default `concurrency` (broker batches in flight
 * per claimed batch), read from the packages so the figure follows the defaults a user gets.
 */
const DEFAULTS = {
  batchSize: DEFAULT_RELAY_OPTIONS.batchSize,
  maxInFlight: DEFAULT_RELAY_OPTIONS.maxInFlight,
  concurrency: DEFAULT_TRANSPORT_OPTIONS.concurrency,
} as const;
const roundsOf = (s: { batchSize: number; concurrency: number }) => Math.ceil(Math.ceil(s.batchSize / 10) / s.concurrency);
const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * 11. Throughput when the broker is 20 ms away and costs nothing: a transport in the relay process
 * that answers each broker batch after 20 ms on a timer, so the figure shows the pipeline, not the
 * machine. Default settings, then 1, 4 and 16 claimed batches in flight. Each run is set beside the
 * bound its settings allow: maxInFlight × batchSize ÷ (publish + claim + mark), where publish is
 * 20 ms × the rounds of `concurrency` broker batches a claimed batch needs, and claim and mark are the
 * run's own mean times.
 */
export async function latencyBound(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.sizes.latencyBoundMessages;
  const db = await openBenchDatabase(ctx, 'latbound', 4);
  const figures: Record<string, number> = {};
  const checks: TargetCheck[] = [];
  try {
    const table = await db.createOutbox('outbox');
    for (const maxInFlight of [DEFAULTS.maxInFlight, 1, 16]) {
      const settings = { ...DEFAULTS, maxInFlight };
      await db.pool.query(`TRUNCATE ${table}`);
      await seedMessages(db.pool, table, n);
      ctx.log(`  ${maxInFlight} in flight, ${n} messages, broker answers after ${BROKER_MS} ms`);
      const drain = await drainBacklog(db.pool, table, {
        databaseUrl: db.url, tableName: 'outbox', endpoint: ctx.endpoint, topicArn: '', transport: 'delay', brokerDelayMs: BROKER_MS,
        listen: true, pollIntervalMs: 1000, ...settings,
      }, 1, 600_000, true);
      const sample = drain.samples[0]!;
      const rounds = roundsOf(settings);
      const claimMs = mean(sample.claimMs);
      const markMs = mean(sample.markMs);
      const bound = (maxInFlight * settings.batchSize * 1000) / (rounds * BROKER_MS + claimMs + markMs);
      const label = `${maxInFlight} in flight`;
      figures[`${label} msg/s`] = drain.msgPerSec;
      figures[`${label} bound msg/s`] = bound;
      figures[`${label} claim ms (mean)`] = claimMs;
      figures[`${label} mark ms (mean)`] = markMs;
      figures[`${label} publish ms (mean; ${rounds} × ${BROKER_MS} ideal)`] = mean(sample.publishMs);
      figures[`${label} ÷ bound`] = drain.msgPerSec / bound;
      if (maxInFlight === DEFAULTS.maxInFlight) checks.push(check('default settings ÷ their bound', drain.msgPerSec / bound, '>=', 0.8));
    }
    return {
      id: 'latency-bound',
      title: '11. Latency-bound throughput (20 ms broker, no CPU)',
      figures: { ...figures, messages: n },
      settings: { ...DEFAULTS, brokerMs: BROKER_MS },
      checks,
      notes: [
        `with the defaults a claimed batch of ${DEFAULTS.batchSize} is ${DEFAULTS.batchSize / 10} broker batches sent ${DEFAULTS.concurrency} at a time: ${roundsOf(DEFAULTS)} round(s) of ${BROKER_MS} ms`,
      ],
    };
  } finally {
    await db.close();
  }
}
