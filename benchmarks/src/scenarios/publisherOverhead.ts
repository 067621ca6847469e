import { performance } from 'node:perf_hooks';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { openOrderService } from '../support/orderService.js';
import { percentiles } from '../support/percentiles.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { FILLER_BYTES } from '../sql/seedMessages.js';

/**
 * 3. Publisher overhead: a `@Transactional()` business insert alone (A) vs the same with
 * `outbox.sendEvent` of a ~500 B event, with the default unnamed insert (B) and with
 * `preparedStatements: true`, a named prepared statement (C). Sequential transactions, the three
 * kinds in turn (rotating which goes first) so that any drift of the shared machine hits all alike.
 * No relay runs meanwhile.
 */
export async function publisherOverhead(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.sizes.publisherTransactions;
  const db = await openBenchDatabase(ctx, 'publisher', 2);
  await db.createOutbox('outbox');
  const service = await openOrderService(db.url, 'bench-publisher');
  try {
    const body = (i: number) => ({ orderId: i, kind: 'order.created', data: 'x'.repeat(FILLER_BYTES) });
    const run = { A: (i: number) => service.placeOrder(i), B: (i: number) => service.placeOrderWithEvent(i, body(i)), C: (i: number) => service.placeOrderWithNamedEvent(i, body(i)) };
    // Warm-up: JIT, connection pool, plan caches, the named statement on each connection (200 rounds;
    // fewer in quick mode, which then costs no more than before the third kind was added).
    for (let i = 0; i < Math.min(200, Math.ceil(n / 4)); i++) for (const kind of ['A', 'B', 'C'] as const) await run[kind](i);
    const times = { A: [] as number[], B: [] as number[], C: [] as number[] };
    const rotations = [['A', 'B', 'C'], ['B', 'C', 'A'], ['C', 'A', 'B']] as const;
    for (let i = 0; i < n; i++) {
      for (const kind of rotations[i % 3]!) {
        const start = performance.now();
        await run[kind](i);
        times[kind].push(performance.now() - start);
      }
    }
    const a = percentiles(times.A);
    const b = percentiles(times.B);
    const named = percentiles(times.C);
    return {
      id: 'publisher-overhead',
      title: '3. Publisher overhead',
      figures: {
        'insert alone p50 ms': a.p50,
        'insert alone p99 ms': a.p99,
        'insert + sendEvent p50 ms': b.p50,
        'insert + sendEvent p99 ms': b.p99,
        'p99 ratio': b.p99 / a.p99,
        'insert + sendEvent, named statement p50 ms': named.p50,
        'insert + sendEvent, named statement p99 ms': named.p99,
        'named statement p50 ratio': named.p50 / a.p50,
        transactions: n * 3,
      },
      settings: { transactionsEach: n, interleaved: true, storageDriver: 'AsyncLocalStorage', notify: true, preparedStatements: 'B: false (default), C: true' },
      checks: [check('p50 ratio (with ÷ alone)', b.p50 / a.p50, '<=', 1.25)],
      notes: [],
    };
  } finally {
    await service.close();
    await db.close();
  }
}
