// A relay in its own process, driven by the parent over stdio: prints {"ready":true}, starts on a
// "go" line, stops on "stop" (or when stdin closes, i.e. the parent died) and prints its report.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { Relay, type OutboxStore, type Transport } from '@tx-outbox/outbox-core';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import { SnsTransport, SqsTransport } from '@tx-outbox/relay-sns';
import { useLocalAwsDefaults } from '@tx-outbox/devkit';
import { enableTracing } from '../support/benchTracing.js';
import { delayTransport } from '../support/delayTransport.js';
import { noopTransport } from '../support/noopTransport.js';
import { pollingOnly } from '../support/pollingOnly.js';
import type { RelayWorkerConfig, RelayWorkerReport, RelayWorkerSample } from './RelayWorkerConfig.js';

useLocalAwsDefaults();
const config = JSON.parse(process.argv[2]!) as RelayWorkerConfig;
if (config.tracing) enableTracing();
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.maxInFlight + 4 });
const pgStore = new PostgresOutboxStore({ pool, tableName: config.tableName });
let markMs: number[] = [];
const store: OutboxStore = timedMarks(config.listen ? pgStore : pollingOnly(pgStore));
const transport: Transport =
  config.transport === 'noop'
    ? noopTransport()
    : config.transport === 'delay'
      ? delayTransport(config.brokerDelayMs ?? 20, config.concurrency)
      : config.transport === 'sqs'
        ? new SqsTransport({
            endpoint: config.endpoint,
            routes: () => config.queueUrl!,
            concurrency: config.concurrency,
            claimCheck: config.claimCheckBucket === undefined ? undefined : { bucket: config.claimCheckBucket, targets: '*' },
          })
        : new SnsTransport({ endpoint: config.endpoint, routes: () => config.topicArn, concurrency: config.concurrency });
const relay = new Relay({
  store,
  transport,
  batchSize: config.batchSize,
  maxInFlight: config.maxInFlight,
  pollIntervalMs: config.pollIntervalMs,
  statsIntervalMs: 0,
});
let sent = 0;
let publishMs: number[] = [];
relay.on('batch:published', ({ sent: n, publishMs: ms }) => {
  sent += n;
  publishMs.push(ms);
});
// What the parent reads with a "sample" line (the soak): claim times and CPU since the last sample.
let claimMs: number[] = [];
let emptyClaims = 0;
relay.on('batch:claimed', ({ count, durationMs }) => {
  if (count > 0) claimMs.push(durationMs);
  else emptyClaims++;
});
let cpuAtGo = process.cpuUsage();
let cpuAtSample = cpuAtGo;
let sentAtSample = 0;
let peakRssBytes = process.memoryUsage.rss();
if (config.sampleRss) {
  setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, 20).unref();
}

await pool.query('SELECT 1');
process.stdout.write(JSON.stringify({ ready: true }) + '\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await relay.stop();
  await pool.end();
  const cpu = process.cpuUsage(cpuAtGo);
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  const report: RelayWorkerReport = { sent, cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system, peakRssBytes, vmHwmBytes: vmHwm() };
  process.stdout.write(JSON.stringify(report) + '\n');
  process.exit(0);
};
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'go') {
    cpuAtGo = cpuAtSample = process.cpuUsage();
    void relay.start();
  }
  if (line === 'sample') {
    const cpu = process.cpuUsage(cpuAtSample);
    cpuAtSample = process.cpuUsage();
    const sample: RelayWorkerSample = { sent: sent - sentAtSample, claimMs, markMs, publishMs, emptyClaims, cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system };
    sentAtSample = sent;
    claimMs = [];
    markMs = [];
    publishMs = [];
    emptyClaims = 0;
    process.stdout.write(JSON.stringify(sample) + '\n');
  }
  if (line === 'stop') void stop();
});
lines.on('close', () => void stop());

function vmHwm(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The store with each markSent call timed (for the latency-bound figures: claim + mark per batch). */
function timedMarks(inner: OutboxStore): OutboxStore {
  const markSent: OutboxStore['markSent'] = async (relayId, ids) => {
    const start = performance.now();
    try {
      return await inner.markSent(relayId, ids);
    } finally {
      markMs.push(performance.now() - start);
    }
  };
  // A proxy, not a copy: PostgresOutboxStore's methods use private fields, so they run bound to it.
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'markSent') return markSent;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
