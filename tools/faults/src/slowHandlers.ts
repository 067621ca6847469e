// The slow-handler scenario: for a while, some handlers take longer than both the SQS visibility
// timeout and the inbox lease. The consumer's heartbeat (ChangeMessageVisibility) and the renewed inbox
// lease must keep each such message with the instance running it: every slowed handler runs exactly
// once, besides the run's usual end checks (lost 0, phantom 0, handled once, dead = only the poison).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cast } from './Cast.js';
import type { RunCounters } from './RunCounters.js';

/** The stdin command a consumer takes: `slow <count> <ms>` makes its next `count` handlers last `ms`. */
export function slowCommand(count: number, ms: number): string {
  return `slow ${count} ${ms}`;
}

/** Parses {@link slowCommand} in the consumer; undefined for any other line. */
export function parseSlowCommand(line: string): { count: number; ms: number } | undefined {
  const match = /^slow (\d+) (\d+)$/.exec(line);
  return match ? { count: Number(match[1]), ms: Number(match[2]) } : undefined;
}

/**
 * Tells every consumer to make its next `slowHandlers` handlers last `verySlowHandlerMs` (longer than
 * the visibility timeout and the inbox lease), waits for them to finish, and records the fault.
 */
export async function slowHandlersBeyondLeases(cast: Cast): Promise<void> {
  const { scenario, counters, consumerConfig } = cast;
  const ms = scenario.verySlowHandlerMs;
  if (ms <= consumerConfig.inboxLeaseMs || ms <= consumerConfig.visibilityTimeoutSeconds * 1000) {
    throw new Error(`the slow-handler scenario needs handlers (${ms} ms) slower than the inbox lease and the visibility timeout`);
  }
  const startedAt = Date.now();
  const before = counters.verySlow.size;
  for (const consumer of cast.consumers.values()) consumer.send(slowCommand(scenario.slowHandlers, ms));
  const expected = before + scenario.slowHandlers * cast.consumers.size;
  const finished = () => counters.verySlow.size >= expected && [...counters.verySlow.values()].every((s) => s.finished);
  const deadline = Date.now() + ms * 3 + 60_000;
  while (!finished() && Date.now() < deadline) await sleep(200);
  const slowed = counters.verySlow.size - before;
  counters.faults.push({
    kind: 'slow-handlers',
    detail: `${slowed} handlers of ${ms} ms (visibility ${consumerConfig.visibilityTimeoutSeconds} s, inbox lease ${consumerConfig.inboxLeaseMs} ms)` +
      (finished() ? '' : ': NOT all finished in time'),
    startedAt,
    endedAt: Date.now(),
  });
}

/** The scenario's own checks: each slowed handler started once and finished; as many as asked for. */
export function slowHandlerFailures(counters: RunCounters, expected: number): string[] {
  const failures: string[] = [];
  // Each consumer is asked for slow handlers, but one that receives nothing meanwhile runs none: at least one must.
  if (counters.verySlow.size < 1 || counters.verySlow.size > expected) failures.push(`slow handlers: ${counters.verySlow.size} ran slow, expected 1 to ${expected}`);
  for (const [ref, slow] of counters.verySlow) {
    // Runs after the slowed one began: a second run while (or after) it held the message. A run of the
    // same message before it, cut by another fault (a consumer SIGKILL), is not the leases' doing.
    const again = (counters.handlerStarts.get(ref) ?? 0) - slow.startsBefore;
    if (again !== 0) failures.push(`slow handler of ${ref} started ${again} more time(s) after its slow run began (a handler slower than its leases must run once)`);
    if (!slow.finished) failures.push(`slow handler of ${ref} did not finish`);
  }
  return failures;
}
