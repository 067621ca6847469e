import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutboxMaintenance } from '@tx-outbox/outbox-typeorm/internal';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { startClaimLoopProcess } from '../support/claimLoopProcess.js';
import { toCsv } from '../support/csv.js';
import { startOutboxFlow, type OutboxFlow } from '../support/outboxFlow.js';
import { percentile } from '../support/percentiles.js';
import { startRetentionLoop } from '../support/retentionLoop.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { holdSnapshot, type SnapshotHold } from '../support/snapshotHold.js';
import { WORST_DAY_COLUMNS, WORST_DAY_PHASES, type WorstDayRow } from '../support/WorstDayRow.js';
import { storageSize } from '../sql/storageSize.js';

/** The relay's defaults: claimed batch, lease. */
export const WORST_DAY_CLAIM = { limit: 100, leaseMs: 30_000, idleMs: 10 };
/** Size back to its start means within this factor of it. */
const SIZE_TOLERANCE = 1.1;

type Part = Omit<ScenarioResult, 'id' | 'title'>;

/**
 * worst-day, first part (issue 23): `worstDayRate` messages a second, each committed on its own by
 * `insertOutboxMessages`, claimed and marked sent by a claim loop in its own process through the
 * store's public API, retention by `OutboxMaintenance` (whole slots emptied) as the sidecar runs it, default
 * autovacuum. Phases: undisturbed; xmin held by a REPEATABLE READ transaction that read the outbox;
 * released. Every second: what was committed and sent, each claim's time, the backlog (committed −
 * sent, counted at both ends, so no query reads the table for it); every sample interval also the
 * outbox's size on disk (table, partitions, indexes). Writes a CSV and a PNG chart.
 */
export async function heldXmin(ctx: BenchContext): Promise<Part> {
  const { worstDayRate: rate, worstDayPhaseSeconds: phases, worstDayRetentionMs: retentionMs, worstDayRetentionIntervalMs: retentionIntervalMs } = ctx.sizes;
  const sampleS = ctx.quick ? 1 : 10;
  const ends = [phases.undisturbed, phases.undisturbed + phases.held, phases.undisturbed + phases.held + phases.released];
  const phaseAt = (s: number) => ends.findIndex((end) => s < end);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const csvPath = join(ctx.resultsDir, `worst-day-${stamp}.csv`);
  const db = await openBenchDatabase(ctx, 'worstday', 20);
  let flow: OutboxFlow | undefined;
  let hold: SnapshotHold | undefined;
  let retention: ReturnType<typeof startRetentionLoop> | undefined;
  const rows: WorstDayRow[] = [];
  const claims = WORST_DAY_PHASES.map(() => [] as number[]);
  const backlogMax = WORST_DAY_PHASES.map(() => 0);
  let committed = 0;
  let sent = 0;
  let errors = 0;
  let skipped = 0;
  try {
    const table = await db.createOutbox('outbox', { retentionMs });
    const maintenance = new OutboxMaintenance({ pool: db.pool, tableName: 'outbox' });
    const claimLoop = await startClaimLoopProcess({ databaseUrl: db.url, tableName: 'outbox', relayId: 'worst-day', ...WORST_DAY_CLAIM });
    flow = startOutboxFlow(db.pool, { tableName: 'outbox' }, claimLoop, rate, 'bench.order.created');
    claimLoop.go();
    flow.startInflow();
    retention = startRetentionLoop(maintenance, retentionIntervalMs);
    const start = performance.now();
    let bucket = { committed: 0, sent: 0, claimMs: [] as number[], backlog: 0, errors: 0 };
    for (let second = 0; second < ends[2]!; second++) {
      const phase = phaseAt(second);
      if (phase === 1 && !hold) {
        ctx.log(`  ${second} s: holding the xmin horizon for ${phases.held} s`);
        hold = await holdSnapshot(db.url, table, db.pool);
      }
      if (phase === 2 && hold) {
        ctx.log(`  ${second} s: released`);
        await hold.release();
        hold = undefined;
      }
      await sleep(Math.max(0, start + (second + 1) * 1000 - performance.now()));
      const tick = await flow.tick();
      const tickErrors = Object.values(tick.errors).reduce((a, b) => a + b, 0);
      committed += tick.committed;
      sent += tick.sent;
      errors += tickErrors;
      // The undisturbed figure is its second half: the table fills until retention reaches its pace.
      if (phase !== 0 || second >= phases.undisturbed / 2) claims[phase]!.push(...tick.claimMs);
      backlogMax[phase] = Math.max(backlogMax[phase]!, tick.backlogRows);
      bucket = { committed: bucket.committed + tick.committed, sent: bucket.sent + tick.sent, claimMs: [...bucket.claimMs, ...tick.claimMs], backlog: Math.max(bucket.backlog, tick.backlogRows), errors: bucket.errors + tickErrors };
      if ((second + 1) % sampleS === 0 || second + 1 === ends[2]) {
        const size = await storageSize(db.pool, table);
        const seconds = (second + 1) - (rows.at(-1)?.elapsedS ?? 0);
        const row: WorstDayRow = {
          elapsedS: second + 1,
          phase,
          inflowPerSec: bucket.committed / seconds,
          sentPerSec: bucket.sent / seconds,
          claims: bucket.claimMs.length,
          claimP50Ms: percentile(bucket.claimMs, 0.5),
          claimP99Ms: percentile(bucket.claimMs, 0.99),
          backlogRows: bucket.backlog,
          backlogSeconds: bucket.backlog / rate,
          ...size,
          retentionEmptiedSlots: retention.emptied,
          errors: bucket.errors,
        };
        rows.push(row);
        writeFileSync(csvPath, toCsv(rows, WORST_DAY_COLUMNS));
        bucket = { committed: 0, sent: 0, claimMs: [], backlog: 0, errors: 0 };
        if (!ctx.quick || rows.length % 4 === 0) {
          ctx.log(
            `  ${row.elapsedS} s (${WORST_DAY_PHASES[phase]}): in ${row.inflowPerSec.toFixed(0)}/s out ${row.sentPerSec.toFixed(0)}/s, ` +
              `claim p50 ${row.claimP50Ms.toFixed(1)} p99 ${row.claimP99Ms.toFixed(1)} ms, backlog ${row.backlogSeconds.toFixed(2)} s, ` +
              `outbox ${(row.outboxBytes / 2 ** 20).toFixed(1)} MiB, dead ${row.deadTuples}`,
          );
        }
      }
    }
    skipped = flow.skipped;
  } finally {
    await hold?.release().catch(() => undefined);
    await retention?.stop();
    await flow?.stop().catch(() => undefined);
    await db.close();
  }

  const notes = [`CSV: ${csvPath}`];
  try {
    const { renderWorstDayChart } = await import('../support/worstDayChart.js');
    const png = csvPath.replace(/\.csv$/, '.png');
    await renderWorstDayChart(rows, png);
    notes.push(`chart: ${png}`);
  } catch (error) {
    notes.push(`chart not rendered: ${String(error)}`);
  }
  const p = (phase: number, q: number) => percentile(claims[phase]!, q);
  // The size saws up and down by a slot (half a retention) as slots fill and are emptied, so it is
  // compared at its peak over one slot period plus one retention interval, at both ends.
  const windowS = (retentionMs / 2 + retentionIntervalMs) / 1000;
  const peak = (from: number, to: number) => Math.max(...rows.filter((r) => r.elapsedS >= from && r.elapsedS <= to).map((r) => r.outboxBytes));
  const startSize = peak(ends[0]! - windowS, ends[0]!);
  // One retention period after the hold, plus one retention interval (a run must come round).
  const dueS = ends[1]! + (retentionMs + retentionIntervalMs) / 1000;
  const lastS = rows.at(-1)!.elapsedS;
  if (lastS < dueS + windowS) notes.push(`the released phase ended before one retention period and a slot: size judged over ${Math.min(dueS, lastS)}–${lastS} s instead of ${dueS}–${dueS + windowS} s`);
  const afterFrom = Math.min(dueS, lastS);
  const afterTo = Math.min(dueS + windowS, lastS);
  const afterSize = peak(afterFrom, afterTo);
  const heldRows = rows.filter((r) => r.phase === 1);
  const mib = (bytes: number) => bytes / 2 ** 20;
  const largestBacklog = Math.max(...backlogMax) / rate;
  if (errors > 0) notes.push(`${errors} claim or markSent calls failed`);
  if (skipped > 0) notes.push(`the producer fell behind ${rate} msg/s: ${skipped} messages not offered (32 inserts were still running)`);
  if (retention!.failures > 0) notes.push(`${retention!.failures} retention runs failed`);
  return {
    figures: {
      'undisturbed claim p50 ms (second half)': p(0, 0.5),
      'undisturbed claim p99 ms (second half)': p(0, 0.99),
      'xmin held claim p50 ms': p(1, 0.5),
      'xmin held claim p99 ms': p(1, 0.99),
      'released claim p50 ms': p(2, 0.5),
      'released claim p99 ms': p(2, 0.99),
      'claimable backlog, largest, s of inflow: undisturbed': backlogMax[0]! / rate,
      'claimable backlog, largest, s of inflow: xmin held': backlogMax[1]! / rate,
      'claimable backlog, largest, s of inflow: released': backlogMax[2]! / rate,
      'outbox MiB, peak over the last slot period of undisturbed (start)': mib(startSize),
      'outbox MiB, largest while held': mib(Math.max(...heldRows.map((r) => r.outboxBytes))),
      [`outbox MiB, peak over ${afterFrom}–${afterTo} s (one retention period after the hold)`]: mib(afterSize),
      'outbox MiB at the end': mib(rows.at(-1)!.outboxBytes),
      'all tables MiB at the end': mib(rows.at(-1)!.databaseTablesBytes),
      'dead tuples, largest sample': Math.max(...rows.map((r) => r.deadTuples)),
      'inflow achieved msg/s': committed / ends[2]!,
      'messages committed': committed,
      'messages not offered (producer behind)': skipped,
      'messages sent': sent,
      'slots emptied by retention': rows.at(-1)!.retentionEmptiedSlots,
    },
    settings: {
      rate, undisturbedS: phases.undisturbed, heldS: phases.held, releasedS: phases.released, retentionMs, retentionIntervalMs, sampleS,
      claimLimit: WORST_DAY_CLAIM.limit, claimIdleMs: WORST_DAY_CLAIM.idleMs, autovacuum: 'server default',
    },
    checks: [
      check('xmin held ÷ undisturbed claim p50', p(1, 0.5) / p(0, 0.5), '<=', 2),
      check('xmin held ÷ undisturbed claim p99', p(1, 0.99) / p(0, 0.99), '<=', 3),
      check('claimable backlog, largest, s of inflow', largestBacklog, '<=', 1),
      check('outbox size one retention period after the hold ÷ start (peaks)', afterSize / startSize, '<=', SIZE_TOLERANCE),
    ],
    notes,
  };
}
