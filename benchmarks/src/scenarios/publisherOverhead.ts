import { performance } from 'node:perf_hooks';
import type { BenchContext } from '../support/BenchContext.js';
import { openBenchDatabase } from '../support/benchDatabase.js';
import { openOrderService } from '../support/orderService.js';
import { percentiles } from '../support/percentiles.js';
import { check, type ScenarioResult } from '../support/ScenarioResult.js';
import { FILLER_BYTES } from '../sql/seedMessages.js';

/**
 * 3. Publisher overhead: a `@Transactional()` business insert alone (A) vs the same with
 * `outbox.sendEvent` of a ~500 B event (B), sequential transactions alternating A and B so that any
 * drift of the shared machine hits both alike. No relay runs meanwhile.
 */
export async function publisherOverhead(ctx: BenchContext): Promise<ScenarioResult> {
  const n = ctx.sizes.publisherTransactions;
  const db = await openBenchDatabase(ctx, 'publisher', 2);
  await db.createOutbox('outbox');
  const service = await openOrderService(db.url, 'bench-publisher');
  try {
    const body = (i: number) => ({ orderId: i, kind: 'order.created', data: 'x'.repeat(FILLER_BYTES) });
    // Warm-up: JIT, connection pool, plan caches.
    for (let i = 0; i < Math.min(200, n); i++) {
      await service.placeOrder(i);
      await service.placeOrderWithEvent(i, body(i));
    }
    const alone: number[] = [];
    const withEvent: number[] = [];
    for (let i = 0; i < n; i++) {
      // Alternate which goes first, too, so neither always follows the other.
      const order = i % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const);
      for (const kind of order) {
        const start = performance.now();
        if (kind === 'A') await service.placeOrder(i);
        else await service.placeOrderWithEvent(i, body(i));
        (kind === 'A' ? alone : withEvent).push(performance.now() - start);
      }
    }
    const a = percentiles(alone);
    const b = percentiles(withEvent);
    return {
      id: 'publisher-overhead',
      title: '3. Publisher overhead',
      figures: {
        'insert alone p50 ms': a.p50,
        'insert alone p99 ms': a.p99,
        'insert + sendEvent p50 ms': b.p50,
        'insert + sendEvent p99 ms': b.p99,
        'p99 ratio': b.p99 / a.p99,
        transactions: n * 2,
      },
      settings: { transactionsEach: n, interleaved: true, storageDriver: 'AsyncLocalStorage', notify: true },
      checks: [check('p50 ratio (with ÷ alone)', b.p50 / a.p50, '<=', 1.25)],
      notes: [],
    };
  } finally {
    await service.close();
    await db.close();
  }
}
