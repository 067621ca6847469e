import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutboxMaintenance } from '@tx-outbox/outbox-typeorm/internal';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { createTopic } from '../support/awsResources.js';
import { openOrderService } from '../support/orderService.js';
import { percentile } from '../support/percentiles.js';
import { startRelayProcess } from '../support/relayProcess.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { toCsv } from '../support/csv.js';
import { SOAK_COLUMNS, type SoakRow } from '../support/SoakRow.js';
import { startSteadyInflow } from '../support/steadyInflow.js';
import { publishLag } from '../sql/publishLag.js';
import { FILLER_BYTES } from '../sql/seedMessages.js';
import { storageSize } from '../sql/storageSize.js';
import { tableHealth } from '../sql/tableHealth.js';
import { TUNED_RELAY } from './relayThroughput.js';

/** What `pnpm bench -- --soak` was asked for. */
export interface SoakOptions {
  minutes: number;
  /** Inflow, msg/s: steady, one `@Transactional()` insert + `sendEvent` per message. */
  ratePerSec: number;
  /** Where the CSV goes; the PNG chart is written next to it (same name, .png). */
  csvPath: string;
}

/** Retention runs every minute on a table that keeps sent rows a minute (slots of 30 s). */
const RETENTION_INTERVAL_MS = 60_000;
const RETENTION_AGE_MS = 60_000;

/**
 * Soak: a steady inflow for `minutes`, one relay process (listening, the tuned settings) publishing to
 * an SNS topic, retention emptying old slots every minute. Every interval (a minute, or a tenth of a
 * short run) it samples the relay's claim times, the table's size and upkeep and the commit → publish lag.
 * Judged on the claim p99 and the table size at the end against the first five minutes (a third of a
 * shorter run).
 */
export async function soak(ctx: BenchContext, options: SoakOptions): Promise<ScenarioResult> {
  const totalMs = options.minutes * 60_000;
  const sampleMs = Math.min(60_000, Math.max(5_000, totalMs / 10));
  const windowMs = Math.min(5 * 60_000, totalMs / 3);
  const topicArn = await createTopic(ctx.sns, 'bench-soak');
  const db = await openBenchDatabase(ctx, 'soak', 4);
  const table = await db.createOutbox('outbox', { retentionMs: RETENTION_AGE_MS });
  const maintenance = new OutboxMaintenance({ pool: db.pool, tableName: 'outbox' });
  const service = await openOrderService(db.url, 'bench-soak');
  const relay = await startRelayProcess({
    databaseUrl: db.url, tableName: 'outbox', endpoint: ctx.endpoint, topicArn, transport: 'sns', listen: true, ...TUNED_RELAY,
  });
  const rows: SoakRow[] = [];
  const claimsByRow: number[][] = [];
  let deleted = 0;
  let retentionRuns = 0;
  const body = { kind: 'order.created', data: 'x'.repeat(FILLER_BYTES) };
  try {
    relay.go();
    const inflow = startSteadyInflow(options.ratePerSec, async (n) => void (await service.placeOrderWithEvent(n, body)));
    const start = performance.now();
    let nextRetention = RETENTION_INTERVAL_MS;
    let committedBefore = 0;
    for (let at = sampleMs; at <= totalMs + 1; at += sampleMs) {
      while (performance.now() - start < at) {
        if (performance.now() - start >= nextRetention) {
          deleted += (await maintenance.run()).emptiedSlots.length;
          retentionRuns++;
          nextRetention += RETENTION_INTERVAL_MS;
        }
        await sleep(Math.min(1_000, Math.max(0, at - (performance.now() - start))));
      }
      const relaySample = await relay.sample();
      const health = await tableHealth(db.pool, table);
      const { outboxBytes } = await storageSize(db.pool, table);
      const lag = await publishLag(db.pool, table, sampleMs);
      const elapsedS = (performance.now() - start) / 1000;
      const row: SoakRow = {
        elapsedS,
        inflowPerSec: (inflow.committed - committedBefore) / (sampleMs / 1000),
        publishedPerSec: relaySample.sent / (sampleMs / 1000),
        claims: relaySample.claimMs.length,
        claimP50Ms: percentile(relaySample.claimMs, 0.5),
        claimP99Ms: percentile(relaySample.claimMs, 0.99),
        lagP50Ms: lag.p50,
        lagP99Ms: lag.p99,
        ...health,
        outboxBytes,
        retentionEmptiedSlots: deleted,
        relayCpuPercent: ((relaySample.cpuUserMicros + relaySample.cpuSystemMicros) / 1000 / sampleMs) * 100,
      };
      committedBefore = inflow.committed;
      rows.push(row);
      claimsByRow.push(relaySample.claimMs);
      ctx.log(
        `  ${(elapsedS / 60).toFixed(1)} min: in ${row.inflowPerSec.toFixed(0)}/s out ${row.publishedPerSec.toFixed(0)}/s, ` +
          `claim p99 ${row.claimP99Ms.toFixed(1)} ms, lag p99 ${row.lagP99Ms.toFixed(0)} ms, ` +
          `outbox ${(row.outboxBytes / 2 ** 20).toFixed(1)} MiB, dead ${row.deadTuples}, autovacuum ${row.autovacuumRuns}`,
      );
      writeFileSync(options.csvPath, toCsv(rows, SOAK_COLUMNS));
    }
    await inflow.stop();
    const failed = inflow.failed;
    const firstRows = rows.filter((r) => r.elapsedS <= windowMs / 1000 + 1);
    const lastRows = rows.filter((r) => r.elapsedS >= totalMs / 1000 - windowMs / 1000 + 1);
    const claimsIn = (part: SoakRow[]) => part.flatMap((r) => claimsByRow[rows.indexOf(r)]!);
    const firstClaimP99 = percentile(claimsIn(firstRows), 0.99);
    const lastClaimP99 = percentile(claimsIn(lastRows), 0.99);
    const firstSize = Math.max(...firstRows.map((r) => r.outboxBytes));
    const lastSize = rows.at(-1)!.outboxBytes;
    const notes = [`CSV: ${options.csvPath}`];
    try {
      const { renderSoakChart } = await import('../support/soakChart.js');
      const png = options.csvPath.replace(/\.csv$/, '') + '.png';
      await renderSoakChart(rows, png);
      notes.push(`chart: ${png}`);
    } catch (error) {
      notes.push(`chart not rendered: ${String(error)}`);
    }
    if (failed > 0) notes.push(`${failed} producer transactions failed`);
    if (inflow.skipped > 0) notes.push(`${inflow.skipped} producer transactions skipped: the producer fell behind the offered rate`);
    return {
      id: 'soak',
      title: `Soak (${options.minutes} min at ${options.ratePerSec} msg/s, retention every minute)`,
      figures: {
        'claim p99 ms, first window': firstClaimP99,
        'claim p99 ms, last window': lastClaimP99,
        'outbox MiB, first window (largest)': firstSize / 2 ** 20,
        'outbox MiB, end': lastSize / 2 ** 20,
        'commit → publish p99 ms, end': rows.at(-1)!.lagP99Ms,
        'autovacuum runs': rows.at(-1)!.autovacuumRuns,
        'retention runs': retentionRuns,
        'slots emptied by retention': deleted,
        'messages committed': inflow.committed,
        'producer transactions skipped (fell behind)': inflow.skipped,
      },
      settings: { ...TUNED_RELAY, minutes: options.minutes, ratePerSec: options.ratePerSec, sampleMs, windowMs, retentionAgeMs: RETENTION_AGE_MS },
      checks: [
        // The end may cost at most 10 % more than the first five minutes did.
        check('claim p99, last ÷ first window', lastClaimP99 / firstClaimP99, '<=', 1.1),
        check('outbox size, end ÷ first window', lastSize / firstSize, '<=', 1.1),
      ],
      notes,
    };
  } finally {
    await relay.stop().catch(() => undefined);
    await service.close();
    await db.close();
  }
}

