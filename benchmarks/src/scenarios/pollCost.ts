import { performance } from 'node:perf_hooks';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { percentiles } from '../support/percentiles.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { seedMessages } from '../sql/seedMessages.js';

const CLAIM = 100;

/**
 * 5. Claim time (100 messages) on a table with only pending rows vs one that also holds many sent
 * rows (history not yet deleted by retention). Two tables side by side, claims alternating between
 * them; each claim is given back (`release`) so every claim sees the same pending backlog.
 */
export async function pollCost(ctx: BenchContext): Promise<ScenarioResult> {
  const { pollPending, pollSentRows, pollClaims } = ctx.sizes;
  const db = await openBenchDatabase(ctx, 'pollcost', 4);
  try {
    const small = await db.createOutbox('outbox_small');
    const big = await db.createOutbox('outbox_big');
    ctx.log(`  seeding ${pollSentRows} sent rows`);
    // History first (lower seq), then the pending backlog, as in a table that has been running a while.
    await seedMessages(db.pool, big, pollSentRows, { sent: true });
    await seedMessages(db.pool, big, pollPending);
    await seedMessages(db.pool, small, pollPending);
    const stores = {
      small: new PostgresOutboxStore({ pool: db.pool, tableName: 'outbox_small' }),
      big: new PostgresOutboxStore({ pool: db.pool, tableName: 'outbox_big' }),
    };
    const times = { small: [] as number[], big: [] as number[] };
    for (let i = 0; i < pollClaims + 20; i++) {
      for (const which of i % 2 === 0 ? (['small', 'big'] as const) : (['big', 'small'] as const)) {
        const store = stores[which];
        const start = performance.now();
        const claimed = await store.claim({ relayId: 'bench', limit: CLAIM, leaseMs: 60_000, ordered: false });
        const ms = performance.now() - start;
        if (claimed.length !== CLAIM) throw new Error(`claim on ${which} returned ${claimed.length} messages, expected ${CLAIM}`);
        await store.release('bench', claimed.map((m) => m.id));
        if (i >= 20) times[which].push(ms); // the first 20 rounds warm caches and plans
      }
    }
    const a = percentiles(times.small);
    const b = percentiles(times.big);
    return {
      id: 'poll-cost',
      title: '5. Poll cost as the table grows',
      figures: {
        'claim p50 ms, 0 sent rows': a.p50,
        [`claim p50 ms, ${pollSentRows.toLocaleString('en-US')} sent rows`]: b.p50,
        'claim p99 ms, 0 sent rows': a.p99,
        [`claim p99 ms, ${pollSentRows.toLocaleString('en-US')} sent rows`]: b.p99,
        'pending rows': pollPending,
      },
      settings: { claimSize: CLAIM, claims: pollClaims, sentRows: pollSentRows },
      checks: [check('p50 ratio (big ÷ empty history)', b.p50 / a.p50, '<=', 1.2)],
      notes: [],
    };
  } finally {
    await db.close();
  }
}
