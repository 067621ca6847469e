import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { createTopic } from '../support/awsResources.js';
import { drainBacklog } from '../support/drainBacklog.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { seedMessages } from '../sql/seedMessages.js';
import { TUNED_RELAY } from './relayThroughput.js';

const MiB = 2 ** 20;

/** 7. Peak RSS of one relay process draining a large backlog (it claims in batches, never loads it). */
export async function memory(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.sizes.memoryMessages;
  const topicArn = await createTopic(ctx.sns, 'bench-memory');
  const db = await openBenchDatabase(ctx, 'memory');
  try {
    const table = await db.createOutbox('outbox');
    await seedMessages(db.pool, table, n);
    ctx.log(`  one relay process draining ${n} messages`);
    const result = await drainBacklog(db.pool, table, {
      sampleRss: true,
      databaseUrl: db.url, tableName: 'outbox', endpoint: ctx.endpoint, topicArn, transport: 'sns', listen: true, ...TUNED_RELAY,
    });
    const report = result.reports[0]!;
    const peak = Math.max(report.peakRssBytes, report.vmHwmBytes) / MiB;
    return {
      id: 'memory',
      title: '7. Relay memory',
      figures: {
        'peak RSS MiB (sampled)': report.peakRssBytes / MiB,
        'VmHWM MiB': report.vmHwmBytes / MiB,
        'msg/s': result.msgPerSec,
        messages: n,
      },
      settings: { ...TUNED_RELAY },
      checks: [check('peak RSS MiB', peak, '<=', 200)],
      notes: [],
    };
  } finally {
    await db.close();
  }
}
