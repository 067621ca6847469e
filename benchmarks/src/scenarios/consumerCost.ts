import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countEffects, createConsumerCostTables, truncateConsumerCostTables } from '../sql/consumerCostTables.js';
import { hasStatementStats } from '../sql/statementStats.js';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { CONSUMER_PATHS, type ConsumerCostWorkerReport, type ConsumerPathId } from '../support/consumerCost/ConsumerPath.js';
import { createRunQueue, deleteRunQueue, loadQueue } from '../support/consumerCost/loadQueue.js';
import { runConsumerPathProcess } from '../support/consumerCost/runConsumerPathProcess.js';
import { summarizeCpuProfiles } from '../support/cpuProfileSummary.js';
import { formatNumber } from '../support/printTable.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { rate } from '../support/stopwatch.js';

export const CONSUMER_COST_TITLE = 'Consumer cost against a bare SDK loop (issue 29)';
const DUPLICATE_SHARE = 0.05;
const PATHS = Object.keys(CONSUMER_PATHS) as ConsumerPathId[];
/** --consumer-cost-messages=N and --consumer-cost-rounds=N override the mode's sizes. */
const argument = (name: string) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? NaN);

/** One path's runs added up. */
interface PathTotals {
  deliveries: number;
  duplicates: number;
  ms: number;
  cpuMicros: number;
  sqsCalls: number;
  statements: number;
  rates: number[];
  calls: Record<string, number>;
  errors: Record<string, number>;
}

/**
 * The consumer side against its floor: `messages` outbox messages wait in an SQS queue and the same
 * handler (one business row in a transaction) runs behind each receive path, every path in a process of
 * its own, interleaved over `rounds` rounds on a freshly filled queue each time. Per path: msg/s, Node CPU
 * per message (process.cpuUsage), SQS calls per message (a middleware on the client) and PostgreSQL
 * statements per message (pg_stat_statements). Each run must handle every message exactly once (the
 * business rows are counted). The duplicate case sends 5 % of the messages twice, both copies in one batch.
 */
export async function consumerCost(ctx: BenchContext): Promise<ScenarioResult> {
  const messages = Number.isFinite(argument('consumer-cost-messages')) ? argument('consumer-cost-messages') : ctx.quick ? 200 : 20_000;
  const rounds = Number.isFinite(argument('consumer-cost-rounds')) ? argument('consumer-cost-rounds') : ctx.quick ? 1 : 3;
  const db = await openBenchDatabase(ctx, 'consumer_cost', 2);
  const profileDir = mkdtempSync(join(tmpdir(), 'tx-outbox-bench-consumer-prof-'));
  try {
    await createConsumerCostTables(db.pool);
    const withStatements = await hasStatementStats(db.pool);
    const totals = new Map<ConsumerPathId, PathTotals>();
    const run = async (path: ConsumerPathId, label: string, cpuProfileDir?: string) => {
      await truncateConsumerCostTables(db.pool);
      const queueUrl = await createRunQueue(ctx.sqs, `bench-consumer-${label}`);
      const deliveries = await loadQueue(ctx.sqs, queueUrl, messages, path === 'consumer-tx-duplicates' ? DUPLICATE_SHARE : 0);
      ctx.log(`  ${path}: ${deliveries} deliveries${cpuProfileDir ? ' under node --cpu-prof' : ''}`);
      const report = await runConsumerPathProcess({ path, databaseUrl: db.url, endpoint: ctx.endpoint, queueUrl, deliveries, withStatements }, cpuProfileDir);
      await deleteRunQueue(ctx.sqs, queueUrl);
      const effects = await countEffects(db.pool);
      if (effects.rows !== messages || effects.ids !== messages) {
        throw new Error(`${path}: ${effects.rows} business rows for ${effects.ids} of ${messages} messages: not every message was handled exactly once`);
      }
      return { report, deliveries };
    };
    for (let round = 1; round <= rounds; round++) {
      ctx.log(`  round ${round} of ${rounds}, ${messages} messages per path`);
      for (const path of PATHS) {
        const { report, deliveries } = await run(path, `${path}-${round}-${Date.now()}`);
        add(totals, path, report, deliveries);
      }
    }
    // Where the CPU of the inbox consumer goes, by package (full runs only: it adds a run).
    const shares = ctx.quick ? [] : (await run('consumer-tx', `profile-${Date.now()}`, profileDir), summarizeCpuProfiles(profileDir));

    const per = (path: ConsumerPathId) => {
      const t = totals.get(path)!;
      return {
        msgPerSec: rate(t.deliveries, t.ms),
        cpuUs: t.cpuMicros / t.deliveries,
        sqsCalls: t.sqsCalls / t.deliveries,
        statements: t.statements / t.deliveries,
      };
    };
    const floor = per('floor-1');
    const figures: Record<string, number> = {};
    for (const path of PATHS) {
      const p = per(path);
      figures[`${path} msg/s`] = p.msgPerSec;
      figures[`${path} CPU µs/msg`] = p.cpuUs;
      figures[`${path} SQS calls/msg`] = p.sqsCalls;
      figures[`${path} statements/msg`] = p.statements;
    }
    // What a suppressed duplicate costs beyond the message it copies, against the same path without copies.
    const dup = totals.get('consumer-tx-duplicates')!;
    const tx = totals.get('consumer-tx')!;
    const copies = dup.deliveries / rounds - messages;
    const perCopy = (dupTotal: number, txTotal: number) => (dupTotal / rounds - txTotal / rounds) / copies;
    // What the library adds beyond TypeORM's own transaction, the handler being a TypeORM one.
    figures['consumer-tx ÷ floor-1-typeorm, CPU per message'] = per('consumer-tx').cpuUs / per('floor-1-typeorm').cpuUs;
    figures['duplicate: extra CPU µs per copy'] = perCopy(dup.cpuMicros, tx.cpuMicros);
    figures['duplicate: extra SQS calls per copy'] = perCopy(dup.sqsCalls, tx.sqsCalls);
    figures['duplicate: extra statements per copy'] = perCopy(dup.statements, tx.statements);
    figures['duplicate: drain ms ÷ drain ms without copies'] = dup.ms / tx.ms;
    figures.messages = messages;
    if (shares.length > 0) figures['profile consumer-tx: @tx-outbox/* % of busy samples'] = shares.filter((s) => s.owner.startsWith('@tx-outbox/')).reduce((sum, s) => sum + s.share, 0) * 100;
    for (const s of shares.slice(0, 8)) figures[`profile consumer-tx: ${s.owner} % of busy samples`] = s.share * 100;

    const inbox = per('consumer-tx');
    const plain = per('consumer');
    const notes = [
      `per path (${rounds} round${rounds === 1 ? '' : 's'} of ${messages} messages; msg/s range over rounds) — | receive path | msg/s | Node CPU µs/msg | SQS calls/msg | PostgreSQL statements/msg |`,
      ...PATHS.map((path) => {
        const p = per(path);
        const t = totals.get(path)!;
        const range = `${formatNumber(Math.min(...t.rates))}–${formatNumber(Math.max(...t.rates))}`;
        return `| ${CONSUMER_PATHS[path]} | ${range} (${(p.msgPerSec / floor.msgPerSec).toFixed(2)}) | ${formatNumber(p.cpuUs)} | ${p.sqsCalls.toFixed(2)} | ${p.statements.toFixed(2)} |`;
      }),
      ...PATHS.filter((path) => Object.keys(totals.get(path)!.errors).length > 0).map((path) => `${path} reported ${JSON.stringify(totals.get(path)!.errors)}`),
      ...PATHS.map((path) => `${path} SQS calls: ${JSON.stringify(totals.get(path)!.calls)}`),
      ...(withStatements ? [] : ['pg_stat_statements is not loaded on this server: statements/msg counts transactions (pg_stat_database)']),
      ...(shares.length > 0 ? [`CPU profile of SqsConsumer + TransactionalInboxStore (self samples by package): ${shares.slice(0, 8).map((s) => `${s.owner} ${(s.share * 100).toFixed(1)} %`).join(', ')}`] : []),
    ];
    return {
      id: 'consumer-cost',
      title: CONSUMER_COST_TITLE,
      figures,
      settings: { messages, rounds, duplicateShare: DUPLICATE_SHARE, statementSource: withStatements ? 'pg_stat_statements' : 'pg_stat_database' },
      checks: [
        check('SqsConsumer + TransactionalInboxStore ÷ floor (1 loop), msg/s', inbox.msgPerSec / floor.msgPerSec, '>=', 0.8),
        check('SqsConsumer + TransactionalInboxStore ÷ floor (1 loop), CPU per message', inbox.cpuUs / floor.cpuUs, '<=', 1.3),
        check('SqsConsumer + TransactionalInboxStore, SQS calls per message', inbox.sqsCalls, '<=', 0.25),
        check('SqsConsumer, no inbox, SQS calls per message', plain.sqsCalls, '<=', 0.25),
        check('SqsConsumer, no inbox ÷ floor (1 loop), msg/s', plain.msgPerSec / floor.msgPerSec, '>=', 0.9),
      ],
      notes,
    };
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
    await db.close();
  }
}

function add(totals: Map<ConsumerPathId, PathTotals>, path: ConsumerPathId, r: ConsumerCostWorkerReport, deliveries: number): void {
  const t = totals.get(path) ?? { deliveries: 0, duplicates: 0, ms: 0, cpuMicros: 0, sqsCalls: 0, statements: 0, rates: [], calls: {}, errors: {} };
  t.deliveries += deliveries;
  t.duplicates += r.duplicates;
  t.ms += r.ms;
  t.cpuMicros += r.cpuUserMicros + r.cpuSystemMicros;
  t.statements += r.statements;
  t.rates.push(rate(deliveries, r.ms));
  for (const [name, n] of Object.entries(r.sqsCalls)) {
    t.sqsCalls += n;
    t.calls[name] = (t.calls[name] ?? 0) + n;
  }
  for (const [name, n] of Object.entries(r.errors)) t.errors[name] = (t.errors[name] ?? 0) + n;
  totals.set(path, t);
}
