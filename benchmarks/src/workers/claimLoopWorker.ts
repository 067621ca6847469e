// The relay's half of worst-day in its own process, through the store's public API only: claim up to
// `limit`, markSent what came back, pause `idleMs` after a short claim, again. Driven over stdio:
// prints {"ready":true}; "go" starts the loop; "sample" prints a ClaimLoopSample; "stats" runs one
// store.stats() and prints a StatsProbe; "timeout" prints {"statementTimeout": "…"}, the setting its
// sessions run with; "stop" (or stdin closing) stops it and prints {"stopped":true}.
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import type { ClaimLoopConfig, ClaimLoopSample, StatsProbe } from './ClaimLoopConfig.js';

const config = JSON.parse(process.argv[2]!) as ClaimLoopConfig;
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
pool.on('error', () => {});
const store = new PostgresOutboxStore({ pool, tableName: config.tableName });
let sample: ClaimLoopSample = { sent: 0, claimMs: [], emptyClaims: 0, errors: {} };
const failed = (error: unknown) => {
  const e = error as { code?: string; name?: string };
  const key = e.code ?? e.name ?? 'Error';
  sample.errors[key] = (sample.errors[key] ?? 0) + 1;
};

let running = false;
let loop: Promise<void> = Promise.resolve();
const claimLoop = async () => {
  while (running) {
    const start = performance.now();
    let claimed: { id: string }[];
    try {
      claimed = await store.claim({ relayId: config.relayId, limit: config.limit, leaseMs: config.leaseMs, ordered: false });
    } catch (error) {
      failed(error);
      await sleep(config.idleMs);
      continue;
    }
    if (claimed.length === 0) sample.emptyClaims++;
    else sample.claimMs.push(performance.now() - start);
    if (claimed.length > 0) {
      // A failed mark leaves the rows leased: they come back after the lease, as with a relay.
      await store.markSent(config.relayId, claimed.map((m) => m.id)).then((n) => void (sample.sent += n), failed);
    }
    if (claimed.length < config.limit) await sleep(config.idleMs);
  }
};

async function probeStats(): Promise<StatsProbe> {
  const start = performance.now();
  try {
    const stats = await store.stats();
    return { ms: performance.now() - start, pending: stats.pending };
  } catch (error) {
    const e = error as { code?: string; name?: string; message?: string };
    return { ms: performance.now() - start, error: `${e.code ?? e.name}: ${e.message}` };
  }
}

await pool.query('SELECT 1');
process.stdout.write(JSON.stringify({ ready: true }) + '\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  running = false;
  await loop;
  await pool.end();
  process.stdout.write(JSON.stringify({ stopped: true }) + '\n', () => process.exit(0));
};
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'go' && !running) {
    running = true;
    loop = claimLoop();
  }
  if (line === 'sample') {
    process.stdout.write(JSON.stringify(sample) + '\n');
    sample = { sent: 0, claimMs: [], emptyClaims: 0, errors: {} };
  }
  if (line === 'stats') void probeStats().then((p) => process.stdout.write(JSON.stringify(p) + '\n'));
  if (line === 'timeout') {
    void pool.query<{ statement_timeout: string }>('SHOW statement_timeout').then(({ rows }) =>
      process.stdout.write(JSON.stringify({ statementTimeout: rows[0]!.statement_timeout }) + '\n'),
    );
  }
  if (line === 'stop') void stop();
});
lines.on('close', () => void stop());
