import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls `send(n)` at `ratePerSec` for `seconds` (n = 0, 1, ...), without waiting for earlier calls,
 * checking the schedule every 5 ms. Resolves when every call has settled; returns the achieved rate.
 */
export async function offerLoad(ratePerSec: number, seconds: number, send: (n: number) => Promise<void>): Promise<{ sent: number; achievedPerSec: number }> {
  const total = Math.round(ratePerSec * seconds);
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let n = 0;
  while (n < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * ratePerSec) / 1000) + 1);
    while (n < due) pending.push(send(n++));
    await sleep(5);
  }
  await Promise.all(pending);
  return { sent: total, achievedPerSec: (total * 1000) / (performance.now() - start) };
}
