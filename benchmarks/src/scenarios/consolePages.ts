import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createOutboxConsoleHandler } from '@tx-outbox/relay-sns/console';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { percentiles } from '../support/percentiles.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { seedConsoleHistory } from '../sql/seedConsoleHistory.js';
import { seedConsoleLanes } from '../sql/seedConsoleLanes.js';

/** Rows of the big table (a week of traffic). */
const BIG_ROWS = { full: 10_000_000, quick: 50_000 };
/** What a page reads at most per lane: the floor table holds that much and no history. */
const LANE_ROWS = 10_000;
const PAGES = { overview: '', 'dead-letter list (failures)': 'failures', 'dead letters, first page': 'messages?status=dead' } as const;

/**
 * 12. The operator console's overview and dead-letter pages on a table of 10 million rows (a week of
 * traffic, 50,000 dead letters of two kinds) beside the same pages on the floor table, which holds only
 * what a page reads at most (10,000 dead letters, 10,000 pending, 10,000 sent in the day) and no
 * history, requests alternating between the two, through the console's own HTTP handler: p50 of each
 * page (target under 200 ms) and its ratio to the floor (what the history costs a page: ~1 when every
 * read is bounded).
 */
export async function consolePages(ctx: BenchContext): Promise<ScenarioResult> {
  const rows = ctx.quick ? BIG_ROWS.quick : BIG_ROWS.full;
  const rounds = ctx.quick ? 5 : 30;
  const db = await openBenchDatabase(ctx, 'console', 8);
  const servers: Server[] = [];
  try {
    await db.createOutbox('outbox_big');
    await db.createOutbox('outbox_small');
    ctx.log(`  seeding ${rows.toLocaleString('en-US')} rows`);
    await seedConsoleHistory(db.pool, 'outbox_big', rows);
    // In quick mode the big table's lanes are smaller than the bound: the floor table matches them.
    const lane = Math.min(LANE_ROWS, Math.floor(rows / 200));
    await seedConsoleLanes(db.pool, 'outbox_small', { dead: lane, sent: Math.min(LANE_ROWS, Math.floor(rows / 7)), pending: Math.min(LANE_ROWS, Math.floor(rows / 1000)) });
    const serve = async (tableName: string) => {
      const server = createServer(createOutboxConsoleHandler({ pool: db.pool, tableName }));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    };
    const bases = { big: await serve('outbox_big'), small: await serve('outbox_small') };
    const times: Record<string, { big: number[]; small: number[] }> = {};
    for (const [name, path] of Object.entries(PAGES)) {
      times[name] = { big: [], small: [] };
      for (let i = 0; i < rounds + 3; i++) {
        for (const which of i % 2 === 0 ? (['big', 'small'] as const) : (['small', 'big'] as const)) {
          const start = performance.now();
          const response = await fetch(`${bases[which]}${path}`);
          const body = await response.text();
          const ms = performance.now() - start;
          if (response.status !== 200 || !body.includes('</html>')) throw new Error(`${name} on ${which} answered ${response.status}`);
          if (i >= 3) times[name]![which].push(ms); // the first rounds warm caches and plans
        }
      }
    }
    const figures: Record<string, number> = { rows };
    const checks = [];
    for (const [name, t] of Object.entries(times)) {
      const b = percentiles(t.big);
      const s = percentiles(t.small);
      figures[`${name} p50 ms, ${rows.toLocaleString('en-US')} rows`] = b.p50;
      figures[`${name} p95 ms, ${rows.toLocaleString('en-US')} rows`] = b.p95;
      figures[`${name} p50 ms, floor table`] = s.p50;
      if (name !== 'dead letters, first page') checks.push(check(`${name} p50 ms`, b.p50, '<=', 200));
      checks.push(check(`${name} p50 ratio (big table ÷ floor)`, b.p50 / s.p50, '<=', 1.5));
    }
    return { id: 'console', title: '12. Operator console pages on 10 M rows', figures, settings: { rows, laneRows: LANE_ROWS, rounds }, checks, notes: [] };
  } finally {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await db.close();
  }
}
