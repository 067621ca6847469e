import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { startClaimLoopProcess } from '../support/claimLoopProcess.js';
import { startOutboxFlow, type OutboxFlow } from '../support/outboxFlow.js';
import { percentile } from '../support/percentiles.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { createRelayRole, dropRelayRole, setRoleStatementTimeout } from '../sql/relayRole.js';
import { seedBackingOff } from '../sql/seedBackingOff.js';
import type { ClaimLoopConfig, StatsProbe } from '../workers/ClaimLoopConfig.js';
import { WORST_DAY_CLAIM } from './worstDayHeldXmin.js';

type Part = Omit<ScenarioResult, 'id' | 'title'>;

/** A DBA's guard on the relay's role, as in issue 23. */
const STATEMENT_TIMEOUT_MS = 50;
/** The broken route's messages wait this long before their next try. */
const BACKOFF_MS = 3_600_000;

interface PhaseFigures {
  claimMs: number[];
  committed: number;
  sent: number;
  errors: Record<string, number>;
}

/**
 * worst-day, second part (issue 23): healthy messages flowing (insertOutboxMessages → claim →
 * markSent, the claim loop connected as a relay role of its own) with nothing else pending; then with
 * `backingOffRows` rows of one broken route backing off (seeded in one statement, sql/seedBackingOff.ts);
 * then the same with `ALTER ROLE … SET statement_timeout = 50ms` on the relay's role (a new claim loop,
 * so new sessions). In each: the healthy claims' times and how many healthy messages were marked sent;
 * and whether `store.stats()` on the relay's role answers the truth (an admin store's answer, with no
 * timeout) rather than failing or answering something else.
 */
export async function backlogBackingOff(ctx: BenchContext): Promise<Part> {
  const { worstDayRate: rate, backingOffRows: rows, backingOffPhaseSeconds: seconds } = ctx.sizes;
  const warmUpS = ctx.quick ? 1 : 5;
  const db = await openBenchDatabase(ctx, 'backingoff', 20);
  const role = `bench_relay_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(8).toString('hex');
  const roleUrl = new URL(db.url);
  roleUrl.username = role;
  roleUrl.password = password;
  const owner = decodeURIComponent(new URL(ctx.adminUrl).username);
  const claimConfig: ClaimLoopConfig = { databaseUrl: roleUrl.toString(), tableName: 'outbox', relayId: 'healthy', ...WORST_DAY_CLAIM };
  // Roles belong to the server, not to the scenario's database: made and dropped through the admin URL.
  const server = new pg.Pool({ connectionString: ctx.adminUrl, max: 1 });
  const notes: string[] = [];
  let flow: OutboxFlow | undefined;
  let roleCreated = false;
  try {
    const table = await db.createOutbox('outbox');
    const admin = new PostgresOutboxStore({ pool: db.pool, tableName: 'outbox' });
    await createRelayRole(server, role, password, owner);
    roleCreated = true;
    const claimLoop = await startClaimLoopProcess(claimConfig);
    flow = startOutboxFlow(db.pool, { tableName: 'outbox' }, claimLoop, rate, 'bench.healthy.created');
    claimLoop.go();
    flow.startInflow();

    ctx.log(`  healthy flow at ${rate} msg/s, nothing else pending (${seconds} s)`);
    await measure(flow, warmUpS);
    const none = await measure(flow, seconds);

    await flow.stopInflow();
    await drained(flow);
    ctx.log(`  seeding ${rows.toLocaleString('en-US')} rows backing off`);
    const seedStart = performance.now();
    await seedBackingOff(db.pool, table, rows, 'bench.broken.route', BACKOFF_MS);
    const seedS = (performance.now() - seedStart) / 1000;

    flow.startInflow();
    ctx.log(`  healthy flow with ${rows.toLocaleString('en-US')} rows backing off (${seconds} s)`);
    await measure(flow, warmUpS);
    const backingOff = await measure(flow, seconds);
    const statsBacking = await statsAgainstTruth(flow, admin);

    ctx.log(`  the same with statement_timeout = ${STATEMENT_TIMEOUT_MS}ms on the relay's role (${seconds} s)`);
    await setRoleStatementTimeout(server, role, STATEMENT_TIMEOUT_MS);
    await flow.replaceClaimLoop(await startClaimLoopProcess(claimConfig));
    const setting = await flow.claimLoop.statementTimeout();
    if (setting !== `${STATEMENT_TIMEOUT_MS}ms`) throw new Error(`the relay's sessions run with statement_timeout = ${setting}, not ${STATEMENT_TIMEOUT_MS}ms`);
    const timedOut = await measure(flow, seconds);
    const statsTimedOut = await statsAgainstTruth(flow, admin);
    await flow.stop();
    flow = undefined;

    for (const [label, s] of [['backing off', statsBacking], [`backing off, statement_timeout ${STATEMENT_TIMEOUT_MS} ms`, statsTimedOut]] as const) {
      notes.push(`store.stats() on the relay's role, ${label}: ${s.probe.error ? `failed after ${s.probe.ms.toFixed(0)} ms (${s.probe.error})` : `answered pending ${s.probe.pending} in ${s.probe.ms.toFixed(0)} ms`}; truth (no timeout) ${s.truth}`);
    }
    for (const [label, phase] of [['backing off', backingOff], [`statement_timeout ${STATEMENT_TIMEOUT_MS} ms`, timedOut]] as const) {
      const failed = Object.entries(phase.errors);
      if (failed.length > 0) notes.push(`claim/markSent errors, ${label}: ${failed.map(([code, n]) => `${n} × ${code}`).join(', ')}`);
    }
    const p50 = (phase: PhaseFigures) => percentile(phase.claimMs, 0.5);
    const p99 = (phase: PhaseFigures) => percentile(phase.claimMs, 0.99);
    const flowing = (phase: PhaseFigures) => (phase.committed > 0 ? phase.sent / phase.committed : 0);
    const count = (phase: PhaseFigures) => Object.values(phase.errors).reduce((a, b) => a + b, 0);
    const n = rows.toLocaleString('en-US');
    return {
      figures: {
        'healthy claim p50 ms, nothing backing off': p50(none),
        'healthy claim p99 ms, nothing backing off': p99(none),
        [`healthy claim p50 ms, ${n} backing off`]: p50(backingOff),
        [`healthy claim p99 ms, ${n} backing off`]: p99(backingOff),
        // No claim that returned messages means no claim time: left out, never shown as 0 ms.
        ...(timedOut.claimMs.length > 0 ? { [`healthy claim p50 ms, ${n} backing off, statement_timeout ${STATEMENT_TIMEOUT_MS} ms`]: p50(timedOut) } : {}),
        [`healthy claims that returned messages, statement_timeout ${STATEMENT_TIMEOUT_MS} ms`]: timedOut.claimMs.length,
        [`healthy sent ÷ committed, ${n} backing off`]: flowing(backingOff),
        [`healthy sent ÷ committed, statement_timeout ${STATEMENT_TIMEOUT_MS} ms`]: flowing(timedOut),
        [`healthy messages committed, statement_timeout ${STATEMENT_TIMEOUT_MS} ms`]: timedOut.committed,
        [`healthy messages sent, statement_timeout ${STATEMENT_TIMEOUT_MS} ms`]: timedOut.sent,
        [`failed claim/markSent calls, statement_timeout ${STATEMENT_TIMEOUT_MS} ms`]: count(timedOut),
        [`store.stats() ms, ${n} backing off`]: statsBacking.probe.ms,
        [`store.stats() ms, statement_timeout ${STATEMENT_TIMEOUT_MS} ms`]: statsTimedOut.probe.ms,
        [`seeding ${n} rows backing off, s`]: seedS,
      },
      settings: { backingOffRows: rows, backoffMs: BACKOFF_MS, phaseSeconds: seconds, statementTimeoutMs: STATEMENT_TIMEOUT_MS },
      checks: [
        check(`healthy claim p50, ${n} backing off ÷ none`, p50(backingOff) / p50(none), '<=', 2),
        check(`healthy sent ÷ committed under statement_timeout ${STATEMENT_TIMEOUT_MS} ms`, flowing(timedOut), '>=', 0.9),
        check(`store.stats() true under statement_timeout ${STATEMENT_TIMEOUT_MS} ms (1 = yes)`, statsTimedOut.true ? 1 : 0, '>=', 1),
      ],
      notes,
    };
  } finally {
    await flow?.stop().catch(() => undefined);
    await db.close();
    if (roleCreated) await dropRelayRole(server, role);
    await server.end();
  }
}

/** Ticks the flow every second for `seconds`; what the claim loop did meanwhile. */
async function measure(flow: OutboxFlow, seconds: number): Promise<PhaseFigures> {
  const figures: PhaseFigures = { claimMs: [], committed: 0, sent: 0, errors: {} };
  const start = performance.now();
  for (let s = 1; s <= seconds; s++) {
    await sleep(Math.max(0, start + s * 1000 - performance.now()));
    const tick = await flow.tick();
    figures.claimMs.push(...tick.claimMs);
    figures.committed += tick.committed;
    figures.sent += tick.sent;
    for (const [code, n] of Object.entries(tick.errors)) figures.errors[code] = (figures.errors[code] ?? 0) + n;
  }
  return figures;
}

/** Waits (up to 30 s) until the claim loop has sent everything committed. */
async function drained(flow: OutboxFlow): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await flow.tick()).backlogRows > 0) {
    if (Date.now() > deadline) throw new Error('the healthy backlog did not drain within 30 s');
    await sleep(100);
  }
}

/**
 * One `stats()` through the claim loop (the relay's role and its settings) and one through an admin
 * store right after. True = it answered, within what the flow moves in between (a second of inflow).
 */
async function statsAgainstTruth(flow: OutboxFlow, admin: PostgresOutboxStore): Promise<{ probe: StatsProbe; truth: number; true: boolean }> {
  const probe = await flow.claimLoop.stats();
  const truth = (await admin.stats()).pending;
  const slack = 1_000;
  return { probe, truth, true: probe.pending !== undefined && Math.abs(probe.pending - truth) <= slack };
}
