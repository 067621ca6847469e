import { performance } from 'node:perf_hooks';
import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { percentiles } from '../support/percentiles.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { seedGroupedMessages } from '../sql/seedGroupedMessages.js';
import { seedMessages } from '../sql/seedMessages.js';

const CLAIM = 100;
const FREE_ROWS = 200;

/**
 * 8. Claim time behind deep ordered groups whose heads back off (the case that used to take seconds):
 * `deepPending` rows in `deepGroups` interleaved groups, every head backing off for an hour (claimed and
 * marked for retry through the store, as the relay does), then ungrouped rows the claim must reach.
 * Beside it, an unordered claim on a table with the same number of plain pending rows. Each claim is
 * given back (`release`) so every claim sees the same backlog.
 */
export async function orderedClaimCost(ctx: BenchContext): Promise<ScenarioResult> {
  const { deepPending, deepGroups, deepClaims } = ctx.sizes;
  const db = await openBenchDatabase(ctx, 'orderedclaim', 4);
  try {
    await db.createOutbox('outbox_deep', { ordered: true });
    await db.createOutbox('outbox_plain');
    ctx.log(`  seeding ${deepPending} rows in ${deepGroups} groups, and ${deepPending} plain rows`);
    const deep = new PostgresOutboxStore({ pool: db.pool, tableName: 'outbox_deep' });
    const plain = new PostgresOutboxStore({ pool: db.pool, tableName: 'outbox_plain' });
    await seedGroupedMessages(db.pool, '"outbox_deep"', deepPending, deepGroups);
    await seedMessages(db.pool, '"outbox_deep"', FREE_ROWS);
    await seedMessages(db.pool, '"outbox_plain"', deepPending + FREE_ROWS);
    // Every group's head fails and backs off; the groups are interleaved, so the first claims take only heads.
    let heads = 0;
    while (heads < deepGroups) {
      const claimed = await deep.claim({ relayId: 'bench', limit: CLAIM, leaseMs: 60_000, ordered: true });
      if (claimed.length === 0) throw new Error(`only ${heads} of ${deepGroups} group heads could be claimed`);
      heads += claimed.length;
      await deep.markRetry('bench', claimed.map((m) => ({ id: m.id, delayMs: 3_600_000, error: 'bench: head backing off' })));
    }
    await db.pool.query('VACUUM ANALYZE "outbox_deep"');
    const times = { deep: [] as number[], plain: [] as number[] };
    for (let i = 0; i < deepClaims + 5; i++) {
      for (const [which, store, ordered] of [['deep', deep, true], ['plain', plain, false]] as const) {
        const start = performance.now();
        const claimed = await store.claim({ relayId: 'bench', limit: CLAIM, leaseMs: 60_000, ordered });
        const ms = performance.now() - start;
        if (claimed.length !== CLAIM) throw new Error(`${which} claim returned ${claimed.length} messages, expected ${CLAIM}`);
        await store.release('bench', claimed.map((m) => m.id));
        if (i >= 5) times[which].push(ms); // the first rounds warm caches and plans
      }
    }
    const d = percentiles(times.deep);
    const p = percentiles(times.plain);
    return {
      id: 'ordered-claim',
      title: '8. Ordered claim behind deep blocked groups',
      figures: {
        'ordered claim p50 ms, deep blocked groups': d.p50,
        'ordered claim p99 ms, deep blocked groups': d.p99,
        'unordered claim p50 ms, same backlog': p.p50,
        'unordered claim p99 ms, same backlog': p.p99,
        'ordered ÷ unordered claim p50': d.p50 / p.p50,
        'pending rows': deepPending + FREE_ROWS,
        'groups backing off': deepGroups,
      },
      settings: { claimSize: CLAIM, claims: deepClaims, deepPending, deepGroups },
      // Milliseconds, not seconds: the claim no longer reads the blocked groups' rows (issue 13).
      checks: [check('ordered deep claim p50 ms', d.p50, '<=', 50)],
      notes: [
        'The ordered claim finds the groups by a loose index scan (one descent per group) instead of walking the blocked groups\' rows (0.35 s per claim), which had replaced a probe per row (seconds).',
      ],
    };
  } finally {
    await db.close();
  }
}
