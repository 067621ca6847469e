// pnpm bench [-- --quick] [--only=id,id] [--out=file] [--latency-rates=500,2000] [--hold-minutes=10]: starts its own PostgreSQL
// and SNS/SQS endpoint (in its own process), runs every scenario, prints a table and writes the results as JSON.
// pnpm bench -- --soak [--soak-minutes=30] [--soak-rate=200] [--soak-history-rows=10000000]: the soak
// (not in CI) and then the claim cost with that many sent rows present, instead of the scenarios.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { startBroker, startPostgres, useLocalAwsDefaults } from '@tx-outbox/devkit';
import { SCENARIOS, type Scenario } from './scenarios/index.js';
import { pollCost } from './scenarios/pollCost.js';
import { soak } from './scenarios/soak.js';
import type { BenchContext } from './support/BenchContext.js';
import { machineInfo } from './support/machineInfo.js';
import { resultsTable } from './support/printTable.js';
import type { ScenarioResult } from './support/ScenarioResult.js';
import { FULL_SIZES, QUICK_SIZES } from './support/sizes.js';

const args = process.argv.slice(2);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const only = option('only')?.split(',');
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const soakMode = args.includes('--soak');
const out = resolve(option('out') ?? `${repoRoot}/.bench-results/${soakMode ? 'soak' : 'latest'}.json`);
const soakMinutes = Number(option('soak-minutes') ?? 30);
const soakRate = Number(option('soak-rate') ?? 200);
const soakHistoryRows = Number(option('soak-history-rows') ?? 10_000_000);
for (const [name, value] of [['soak-minutes', soakMinutes], ['soak-rate', soakRate], ['soak-history-rows', soakHistoryRows]] as const) {
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`--${name} must be a number ≥ 0, got ${option(name)}\n`);
    process.exit(2);
  }
}
// --latency-rates=500,2000 overrides scenario 4's offered rates (msg/s).
const latencyRates = option('latency-rates')?.split(',').map(Number);
if (latencyRates?.some((r) => !(r > 0))) {
  process.stderr.write(`--latency-rates must be rates in msg/s above 0, got ${option('latency-rates')}\n`);
  process.exit(2);
}

// --hold-minutes=10 overrides how long worst-day holds the xmin horizon.
const holdMinutes = option('hold-minutes') === undefined ? undefined : Number(option('hold-minutes'));
if (holdMinutes !== undefined && !(holdMinutes > 0)) {
  process.stderr.write(`--hold-minutes must be a number of minutes above 0, got ${option('hold-minutes')}\n`);
  process.exit(2);
}

useLocalAwsDefaults();
const log = (line: string) => process.stderr.write(line + '\n');
log(`tx-outbox benchmarks (${soakMode ? `soak, ${soakMinutes} min` : quick ? 'quick' : 'full'} mode): starting PostgreSQL and the SNS/SQS endpoint`);
// A full run measures on its own durable PostgreSQL and endpoint, whatever DATABASE_URL and
// AWS_ENDPOINT_URL say. A quick run measures nothing (it checks the scenarios still run), so it uses
// them when set, like the tests (benchmarks/test/bench.quick.test.ts passes the suite's servers).
const [postgres, broker] = await Promise.all([startPostgres({
    forceEmbedded: !quick,
    // Durable, as in production: the test default (fsync off) makes commits free and flatters nothing but round trips.
    // pg_stat_statements gives scenario 10 the server's statements and execution time per message.
    settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on', shared_preload_libraries: 'pg_stat_statements' },
  }), startBroker({ forceLocal: !quick, ownProcess: true })]);
const sns = new SNSClient({ endpoint: broker.endpoint });
const sqs = new SQSClient({ endpoint: broker.endpoint });
const admin = new pg.Pool({ connectionString: postgres.url, max: 2 });
const base = quick ? QUICK_SIZES : FULL_SIZES;
const sizes = {
  ...base,
  ...(latencyRates ? { latencyRates } : {}),
  ...(holdMinutes ? { worstDayPhaseSeconds: { ...base.worstDayPhaseSeconds, held: Math.round(holdMinutes * 60) } } : {}),
};
const ctx: BenchContext = { adminUrl: postgres.url, endpoint: broker.endpoint, sns, sqs, quick, resultsDir: dirname(out), sizes, log };

const soakStamp = new Date().toISOString().replace(/[:.]/g, '-');
// --soak-minutes=0 runs only the claim cost with history; --soak-history-rows=0 only the soak.
const soakScenarios: Scenario[] = [
  ...(soakMinutes > 0
    ? [{ id: 'soak', title: `Soak (${soakMinutes} min)`, run: (c: BenchContext) => soak(c, { minutes: soakMinutes, ratePerSec: soakRate, csvPath: `${dirname(out)}/soak-${soakStamp}.csv` }) }]
    : []),
  ...(soakHistoryRows > 0
    ? [{ id: 'poll-cost', title: `Claim cost with ${soakHistoryRows.toLocaleString('en-US')} sent rows`, run: (c: BenchContext) => pollCost({ ...c, sizes: { ...c.sizes, pollSentRows: soakHistoryRows } }) }]
    : []),
];
const scenarios = soakMode ? soakScenarios : SCENARIOS.filter((s) => !only || only.includes(s.id));
mkdirSync(dirname(out), { recursive: true });

const results: ScenarioResult[] = [];
let failed = 0;
const startedAt = new Date();
try {
  const machine = await machineInfo(admin, 'fauxqs 1.9.2 (SNS/SQS emulator) in its own process');
  for (const scenario of scenarios) {
    log(`${scenario.title}`);
    try {
      const result = await scenario.run(ctx);
      results.push(result);
      for (const c of result.checks) log(`  ${c.name} = ${c.value.toFixed(2)} (target ${c.op} ${c.target}): ${c.met ? 'MET' : 'NOT MET'}`);
    } catch (error) {
      failed++;
      log(`  FAILED: ${(error as Error).stack ?? String(error)}`);
      results.push({ id: scenario.id, title: scenario.title, figures: {}, settings: {}, checks: [], notes: [`failed: ${String(error)}`] });
    }
  }
  process.stdout.write('\n' + resultsTable(results) + '\n\n');
  for (const r of results) for (const note of r.notes) process.stdout.write(`- ${r.title}: ${note}\n`);
  mkdirSync(dirname(out), { recursive: true });
  const finishedAt = new Date();
  writeFileSync(out, JSON.stringify({ mode: soakMode ? 'soak' : quick ? 'quick' : 'full', startedAt, finishedAt, machine, results }, null, 2) + '\n');
  log(`results written to ${out} (${Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000)} s)`);
} finally {
  sns.destroy();
  sqs.destroy();
  await admin.end();
  await Promise.allSettled([postgres.stop(), broker.stop()]);
}
process.exit(failed > 0 ? 1 : 0);
