import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { stageShares } from '../support/cpuProfileStages.js';
import { percentiles } from '../support/percentiles.js';
import { publisherParts } from '../support/publisherParts.js';
import { PUBLISHER_PROFILE_STAGES } from '../support/publisherProfileStages.js';
import { startPublisherProcess, type PublisherProcess } from '../support/publisherProcess.js';
import { check, type ScenarioResult, type TargetCheck } from '../support/ScenarioResult.js';
import { insertStatementTimes } from '../sql/insertStatementTimes.js';
import { hasStatementStats, resetStatementStats } from '../sql/statementStats.js';
import { PUBLISHER_KINDS, type PublisherKind, type PublisherSlotReport } from '../workers/PublisherWorkerConfig.js';

/** At most this many publisher processes per level; the level's connections are shared among them. */
const MAX_PROCESSES = 4;
/** Each kind runs one slot of this length before a level is measured (JIT, pools, plan caches). */
const WARM_UP_MS = 1_000;

const LABEL: Record<PublisherKind, string> = {
  alone: 'insert alone',
  sendEvent: '+ sendEvent',
  floor: '+ hand-written row (floor)',
  silent: '+ sendEvent notify off',
};

interface KindFigures {
  txPerSec: number;
  p50: number;
  p99: number;
  cpuMicrosPerTx: number;
}

/**
 * publisher-scale (issue 22): `@Transactional()` transactions of four kinds — a business insert alone;
 * + `outbox.sendEvent()` (defaults); + a hand-written one-row `INSERT INTO outbox (id, subject,
 * payload)` through the same manager (the floor); + `sendEvent` with `notify: false` — at each
 * connection level, from up to four publisher processes sharing the level's connections. The kinds
 * are interleaved: rounds of one slot per kind, the order rotating, so a drift of the machine weighs
 * on all alike. Per kind: throughput, p50/p99, the publishers' CPU per transaction, and each one's ratio
 * to the floor's. Then the CPU of `sendEvent` and of the floor, one process and one connection, by part
 * (publisherProfileStages.ts): each part's share of the samples of a run under the V8 profiler times
 * the CPU per transaction of the same run without it; the same parts measured alone (publisherParts.ts);
 * and PostgreSQL's execution time of each insert.
 */
export async function publisherScale(ctx: BenchContext): Promise<ScenarioResult> {
  const { publisherScaleConnections: levels, publisherScaleSlotMs: slotMs, publisherScaleRounds: rounds } = ctx.sizes;
  const db = await openBenchDatabase(ctx, 'publisher_scale', 2);
  const profileDir = mkdtempSync(join(tmpdir(), 'tx-outbox-bench-publisher-prof-'));
  const figures: Record<string, number> = {};
  const checks: TargetCheck[] = [];
  const notes: string[] = [];
  try {
    await db.createOutbox('outbox');
    const withStatements = await hasStatementStats(db.pool);
    await resetStatementStats(db.pool, withStatements);
    for (const connections of levels) {
      ctx.log(`  ${connections} connection(s): ${rounds} round(s) of ${PUBLISHER_KINDS.length} slots of ${slotMs} ms`);
      const byKind = await measureLevel(db.url, connections, slotMs, rounds);
      const floor = byKind.floor;
      for (const kind of PUBLISHER_KINDS) {
        const k = byKind[kind];
        const at = `@${connections} ${LABEL[kind]}`;
        figures[`${at} tx/s`] = k.txPerSec;
        figures[`${at} p50 ms`] = k.p50;
        figures[`${at} p99 ms`] = k.p99;
        figures[`${at} CPU µs/tx`] = k.cpuMicrosPerTx;
        if (kind !== 'floor') {
          figures[`${at} ÷ floor: tx/s`] = k.txPerSec / floor.txPerSec;
          figures[`${at} ÷ floor: p50`] = k.p50 / floor.p50;
          figures[`${at} ÷ floor: p99`] = k.p99 / floor.p99;
          figures[`${at} ÷ floor: CPU/tx`] = k.cpuMicrosPerTx / floor.cpuMicrosPerTx;
        }
        ctx.log(`    ${LABEL[kind].padEnd(28)} ${k.txPerSec.toFixed(0).padStart(6)} tx/s  p50 ${k.p50.toFixed(2)} ms  p99 ${k.p99.toFixed(2)} ms  CPU ${k.cpuMicrosPerTx.toFixed(0)} µs/tx`);
      }
      figures[`@${connections} sendEvent notify on ÷ off: tx/s`] = byKind.sendEvent.txPerSec / byKind.silent.txPerSec;
      checks.push(
        check(`@${connections} sendEvent ÷ floor throughput`, byKind.sendEvent.txPerSec / floor.txPerSec, '>=', 0.9),
        check(`@${connections} sendEvent ÷ floor CPU per transaction`, byKind.sendEvent.cpuMicrosPerTx / floor.cpuMicrosPerTx, '<=', 1.2),
      );
    }
    if (withStatements) {
      const server = await insertStatementTimes(db.pool);
      figures['PostgreSQL exec ms per library insert (unnest)'] = server.library.meanMs;
      figures['PostgreSQL exec ms per floor insert'] = server.floor.meanMs;
      figures['PostgreSQL exec ms per business insert'] = server.business.meanMs;
    } else {
      notes.push('pg_stat_statements is not loaded on this server: no per-statement execution times');
    }
    ctx.log(`  profile: sendEvent and the floor, ${ctx.sizes.publisherProfileTransactions} transactions each, 1 connection`);
    const profile = await profilePublisher(db.url, ctx.sizes.publisherProfileTransactions, profileDir);
    for (const [stage, micros] of profile.sendEvent) figures[`profile sendEvent: ${stage} µs/tx`] = micros;
    for (const [stage, micros] of profile.floor) figures[`profile floor: ${stage} µs/tx`] = micros;
    figures['profile sendEvent: CPU µs/tx (1 connection, unprofiled)'] = profile.cpuMicros.sendEvent;
    figures['profile floor: CPU µs/tx (1 connection, unprofiled)'] = profile.cpuMicros.floor;
    ctx.log('  parts measured alone (CPU per call)');
    const parts = await publisherParts(db.url, ctx.quick ? 200 : 20_000);
    for (const [part, micros] of Object.entries(parts)) figures[`alone: ${part} µs/call`] = micros;
    // What the library's statement costs the client beyond the core's work, beside the floor's statement.
    figures['alone: the library insert statement, client side (round trip − validate − stamp) µs/call'] =
      parts['insertOutboxMessages, one message, round trip']! - parts['validateMessages, one ~500 B message']! - parts['stampMessages (id + trace context)']!;
    notes.push(
      `profile (µs/tx, sendEvent − floor): ${[...profile.sendEvent]
        .map(([stage, us]) => [stage, us - (profile.floor.get(stage) ?? 0)] as const)
        .sort((a, b) => b[1] - a[1])
        .map(([stage, d]) => `${stage} ${d >= 0 ? '+' : ''}${d.toFixed(1)}`)
        .join(', ')}`,
      'no other outbox publisher is measured: the first-party NestJS outbox (@nestjs/outbox) is not on the npm registry',
    );
    return {
      id: 'publisher-scale',
      title: 'Publisher at 1 to 64 connections (issue 22)',
      figures,
      settings: { levels: levels.join(','), slotMs, rounds, maxProcesses: MAX_PROCESSES, storageDriver: 'AsyncLocalStorage', profileTransactions: ctx.sizes.publisherProfileTransactions },
      checks,
      notes,
    };
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
    await db.close();
  }
}

/** One level: warm-up, then `rounds` rounds of one slot per kind (order rotating), all processes at once. */
async function measureLevel(url: string, connections: number, slotMs: number, rounds: number): Promise<Record<PublisherKind, KindFigures>> {
  const count = Math.min(MAX_PROCESSES, connections);
  const publishers: PublisherProcess[] = [];
  try {
    // One after the other: the first creates the business table.
    for (let i = 0; i < count; i++) {
      const share = Math.floor(connections / count) + (i < connections % count ? 1 : 0);
      publishers.push(await startPublisherProcess({ databaseUrl: url, connections: share }));
    }
    const slot = (kind: PublisherKind, ms: number) => Promise.all(publishers.map((p) => p.run(kind, ms)));
    for (const kind of PUBLISHER_KINDS) await slot(kind, Math.min(WARM_UP_MS, slotMs));
    const slots = new Map<PublisherKind, PublisherSlotReport[][]>(PUBLISHER_KINDS.map((k) => [k, []]));
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < PUBLISHER_KINDS.length; i++) {
        const kind = PUBLISHER_KINDS[(i + round) % PUBLISHER_KINDS.length]!;
        slots.get(kind)!.push(await slot(kind, slotMs));
      }
    }
    return Object.fromEntries(PUBLISHER_KINDS.map((k) => [k, kindFigures(slots.get(k)!)])) as Record<PublisherKind, KindFigures>;
  } finally {
    await Promise.allSettled(publishers.map((p) => p.stop()));
  }
}

/** A kind's figures over its slots: each slot lasts as long as its slowest process. */
function kindFigures(slots: PublisherSlotReport[][]): KindFigures {
  const reports = slots.flat();
  const transactions = reports.reduce((sum, r) => sum + r.transactions, 0);
  const failed = reports.reduce((sum, r) => sum + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} ${reports[0]!.kind} transactions failed`);
  const ms = slots.reduce((sum, slot) => sum + Math.max(...slot.map((r) => r.elapsedMs)), 0);
  const cpu = reports.reduce((sum, r) => sum + r.cpuUserMicros + r.cpuSystemMicros, 0);
  const p = percentiles(reports.flatMap((r) => r.latencyMs));
  return { txPerSec: (transactions * 1000) / ms, p50: p.p50, p99: p.p99, cpuMicrosPerTx: cpu / transactions };
}

/**
 * sendEvent and the floor, one process with one connection: `count` transactions of each without the
 * profiler (their CPU per transaction), then `count` under it (where it goes); µs of a part = its share
 * of the profiled samples × the unprofiled CPU per transaction.
 */
async function profilePublisher(url: string, count: number, dir: string) {
  const publisher = await startPublisherProcess({ databaseUrl: url, connections: 1 });
  try {
    for (const kind of ['floor', 'sendEvent'] as const) await publisher.run(kind, WARM_UP_MS);
    const result = { sendEvent: new Map<string, number>(), floor: new Map<string, number>(), cpuMicros: { sendEvent: 0, floor: 0 } };
    for (const kind of ['floor', 'sendEvent'] as const) {
      const plain = await publisher.repeat(kind, count);
      result.cpuMicros[kind] = (plain.cpuUserMicros + plain.cpuSystemMicros) / plain.transactions;
      const file = join(dir, `${kind}.cpuprofile`);
      await publisher.profile(kind, count, file);
      const shares = stageShares(file, PUBLISHER_PROFILE_STAGES);
      for (const [stage, share] of [...shares].sort((a, b) => b[1] - a[1])) result[kind].set(stage, share * result.cpuMicros[kind]);
    }
    // Every stage either run touched, on both sides (0 where one run had no sample of it).
    for (const stage of new Set([...result.sendEvent.keys(), ...result.floor.keys()])) {
      for (const side of [result.sendEvent, result.floor]) if (!side.has(stage)) side.set(stage, 0);
    }
    return result;
  } finally {
    await publisher.stop();
  }
}
