import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from '../support/BenchContext.js';
import { runBareLoopProcess, type BareLoopReport } from '../support/bareLoopProcess.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { createTopic } from '../support/awsResources.js';
import { summarizeCpuProfiles } from '../support/cpuProfileSummary.js';
import { drainBacklog, type DrainResult } from '../support/drainBacklog.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { seedMessages } from '../sql/seedMessages.js';
import { hasStatementStats, readStatementStats, resetStatementStats } from '../sql/statementStats.js';
import type { RelayWorkerConfig, RelayWorkerReport } from '../workers/RelayWorkerConfig.js';
import { TUNED_CALLS_IN_FLIGHT, TUNED_RELAY } from './relayThroughput.js';

/** Relay → SNS and bare-loop runs, in turn. */
const ROUNDS = 2;
const cpuMicros = (r: { cpuUserMicros: number; cpuSystemMicros: number }) => r.cpuUserMicros + r.cpuSystemMicros;
const perMessage = (reports: RelayWorkerReport[], messages: number) => reports.reduce((sum, r) => sum + cpuMicros(r), 0) / messages;

/**
 * 10. What the relay spends per message, which a busy machine slows but does not change: CPU time
 * (user + sys) of the relay process per message to SNS, of a bare PublishBatch loop doing the same SDK
 * work in a process of its own, and of the relay with a no-op transport; PostgreSQL's statements and
 * execution time per message (pg_stat_statements). Then a CPU profile of the relay → SNS, by package.
 */
export async function costPerMessage(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.sizes.drainMessages;
  const topicArn = await createTopic(ctx.sns, 'bench-cost');
  const db = await openBenchDatabase(ctx, 'cost', 4);
  const profileDir = mkdtempSync(join(tmpdir(), 'tx-outbox-bench-prof-'));
  try {
    const table = await db.createOutbox('outbox');
    const base: RelayWorkerConfig = { databaseUrl: db.url, tableName: 'outbox', endpoint: ctx.endpoint, topicArn, transport: 'sns', listen: true, ...TUNED_RELAY };
    const withStatements = await hasStatementStats(db.pool);

    // Relay and bare loop twice, in turn (ABAB), so a drift of the machine or the emulator over the
    // scenario weighs on both sides alike; each side's figure is its total CPU over its total messages.
    const relayRuns: DrainResult[] = [];
    const bareRuns: BareLoopReport[] = [];
    let server: Awaited<ReturnType<typeof readStatementStats>> | undefined;
    for (let round = 1; round <= ROUNDS; round++) {
      await db.pool.query(`TRUNCATE ${table}`);
      await seedMessages(db.pool, table, n);
      await resetStatementStats(db.pool, withStatements);
      ctx.log(`  relay → SNS, ${n} messages (${round} of ${ROUNDS})`);
      relayRuns.push(await drainBacklog(db.pool, table, base));
      server ??= await readStatementStats(db.pool, withStatements);
      ctx.log(`  bare PublishBatch loop, ${n} messages, own process (${round} of ${ROUNDS})`);
      bareRuns.push(await runBareLoopProcess(ctx.endpoint, topicArn, n, TUNED_CALLS_IN_FLIGHT));
    }
    const relay = relayRuns[0]!;

    await db.pool.query(`TRUNCATE ${table}`);
    await seedMessages(db.pool, table, n);
    ctx.log(`  relay → no-op transport, ${n} messages`);
    const noop = await drainBacklog(db.pool, table, { ...base, transport: 'noop' });

    await db.pool.query(`TRUNCATE ${table}`);
    await seedMessages(db.pool, table, n);
    ctx.log(`  relay → SNS under node --cpu-prof`);
    await drainBacklog(db.pool, table, { ...base, cpuProfileDir: profileDir });
    const shares = summarizeCpuProfiles(profileDir);

    const relayUs = relayRuns.reduce((sum, r) => sum + perMessage(r.reports, 1), 0) / relayRuns.reduce((sum, r) => sum + r.messages, 0);
    const bareUs = bareRuns.reduce((sum, b) => sum + cpuMicros(b), 0) / bareRuns.reduce((sum, b) => sum + b.messages, 0);
    const noopUs = perMessage(noop.reports, noop.messages);
    const statementsPerMessage = server!.statements / relay.messages;
    const top = shares.slice(0, 8);
    // The relay's own code and its database driver, as opposed to the SDK, Node and V8 doing the call.
    const ownShare = shares.filter((s) => /^@tx-outbox\/|^pg(-|$)/.test(s.owner)).reduce((sum, s) => sum + s.share, 0);
    return {
      id: 'cost-per-message',
      title: '10. Cost per message (CPU time, PostgreSQL statements)',
      figures: {
        'relay → SNS CPU µs/msg': relayUs,
        'bare PublishBatch loop CPU µs/msg': bareUs,
        'relay → no-op CPU µs/msg': noopUs,
        'relay → SNS msg/s (wall, moves with load, run 1)': relay.msgPerSec,
        [`PostgreSQL statements/msg (${server!.source})`]: statementsPerMessage,
        'PostgreSQL exec ms/msg': server!.execMs / relay.messages,
        'PostgreSQL transactions/msg': server!.transactions / relay.messages,
        ...Object.fromEntries(relayRuns.map((r, i) => [`relay → SNS CPU µs/msg, run ${i + 1}`, perMessage(r.reports, r.messages)])),
        ...Object.fromEntries(bareRuns.map((b, i) => [`bare loop CPU µs/msg, run ${i + 1}`, cpuMicros(b) / b.messages])),
        'profile: @tx-outbox/* + pg driver % of busy samples': ownShare * 100,
        ...Object.fromEntries(top.map((s) => [`profile: ${s.owner} % of busy samples`, s.share * 100])),
        messages: n,
      },
      settings: { ...TUNED_RELAY, bareLoopCallsInFlight: TUNED_CALLS_IN_FLIGHT, statementSource: server!.source, rounds: ROUNDS },
      checks: [check('relay ÷ bare loop, CPU per message', relayUs / bareUs, '<=', 1.15), check('PostgreSQL statements per message', statementsPerMessage, '<=', 0.03)],
      notes: [
        `CPU profile of the relay → SNS (self samples by package): ${top.map((s) => `${s.owner} ${(s.share * 100).toFixed(1)} %`).join(', ')}`,
        ...(withStatements ? [] : ['pg_stat_statements is not loaded on this server: statements/msg counts transactions (pg_stat_database), execution time is not available']),
      ],
    };
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
    await db.close();
  }
}
