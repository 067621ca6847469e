import type { BenchContext } from '../support/BenchContext.js';
import type { ScenarioResult } from '../support/ScenarioResult.js';
import { alternatives } from './alternatives.js';
import { consumerCost, CONSUMER_COST_TITLE } from './consumerCost.js';
import { consolePages } from './consolePages.js';
import { costPerMessage } from './costPerMessage.js';
import { endToEndLatency } from './endToEndLatency.js';
import { largeMessages, LARGE_MESSAGES_TITLE } from './largeMessages.js';
import { latencyBound } from './latencyBound.js';
import { memory } from './memory.js';
import { orderedClaimCost } from './orderedClaimCost.js';
import { pollCost } from './pollCost.js';
import { publisherOverhead } from './publisherOverhead.js';
import { publisherScale } from './publisherScale.js';
import { relayThroughput } from './relayThroughput.js';
import { scaleOut } from './scaleOut.js';
import { tracingCost } from './tracingCost.js';
import { worstDay } from './worstDay.js';

/** A scenario as main runs it. */
export interface Scenario {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

/** Every scenario, in the order they run. */
export const SCENARIOS: Scenario[] = [
  { id: 'relay-throughput', title: '1. Relay throughput (drain to SNS)', run: relayThroughput },
  { id: 'alternatives', title: '2. Against the alternatives', run: alternatives },
  { id: 'publisher-overhead', title: '3. Publisher overhead', run: publisherOverhead },
  { id: 'latency', title: '4. End-to-end latency (commit → SQS)', run: endToEndLatency },
  { id: 'poll-cost', title: '5. Poll cost as the table grows', run: pollCost },
  { id: 'scale-out', title: '6. Scale-out and broker latency', run: scaleOut },
  { id: 'memory', title: '7. Relay memory', run: memory },
  { id: 'ordered-claim', title: '8. Ordered claim behind deep blocked groups', run: orderedClaimCost },
  { id: 'tracing', title: '9. Tracing cost (OpenTelemetry SDK, no-op exporter)', run: tracingCost },
  { id: 'cost-per-message', title: '10. Cost per message (CPU time, PostgreSQL statements)', run: costPerMessage },
  { id: 'latency-bound', title: '11. Latency-bound throughput (20 ms broker, no CPU)', run: latencyBound },
  { id: 'publisher-scale', title: 'Publisher at 1 to 64 connections (issue 22)', run: publisherScale },
  { id: 'worst-day', title: 'Worst day: held xmin, rows backing off (issue 23)', run: worstDay },
  { id: 'consumer-cost', title: CONSUMER_COST_TITLE, run: consumerCost },
  { id: 'console', title: '12. Operator console pages on 10 M rows', run: consolePages },
  { id: 'large-messages', title: LARGE_MESSAGES_TITLE, run: largeMessages },
];
