// The clock-skew scenario: relay-1's process clock runs 10 minutes ahead and relay-2's 10 minutes
// behind (skewClock.ts, preloaded into those relays only; PostgreSQL's clock stays true) for the whole
// run, so they meet every fault of it, the throttling storm and the SNS/SQS outage included. With one
// clock (the database's) for every stored time, nothing changes: a relay ahead computing retry times
// itself would park a message for 10 minutes after one transient error (the backlog never drains), one
// behind would retry at once and burn the tries (healthy messages dead). The report checks from the
// relays' own log timestamps that the skew was really in force, and says how long healthy traffic was
// held up during the throttling storm with the skewed relays in it.
import type { Supervisor } from './Supervisor.js';

/** The skewed relays and their clock offsets, in ms; a relay not named keeps the true clock. */
export const CLOCK_SKEWS: Readonly<Record<string, number>> = { 'relay-1': 10 * 60_000, 'relay-2': -10 * 60_000 };

/** The supervisor's line when it starts a child (`--- 2026-…Z started pid 123`), in the orchestrator's true time. */
const STARTED = /^--- (\S+) started pid/;

/**
 * The clock offset each skewed relay really ran with: its log lines' own `time` (its process clock)
 * minus the true time the supervisor started it, taken at each start's first timestamped line and
 * the median over starts. Off by the relay's start-up time (under a second or two), not by minutes.
 */
export async function observedClockSkews(supervisor: Supervisor): Promise<Record<string, number | null>> {
  const seen: Record<string, number | null> = {};
  for (const name of Object.keys(CLOCK_SKEWS)) {
    const offsets: number[] = [];
    let startedAt: number | undefined;
    for (const line of await supervisor.logLines(name)) {
      const started = STARTED.exec(line);
      if (started) {
        startedAt = Date.parse(started[1]!);
        continue;
      }
      if (startedAt === undefined || !line.startsWith('{')) continue;
      const time = timeOf(line);
      if (time === undefined) continue;
      offsets.push(time - startedAt);
      startedAt = undefined;
    }
    offsets.sort((a, b) => a - b);
    seen[name] = offsets.length === 0 ? null : offsets[Math.floor(offsets.length / 2)]!;
  }
  return seen;
}

/** The `time` of a pino JSON line, or undefined (a stderr fragment, a line without time). */
function timeOf(line: string): number | undefined {
  try {
    const time = Date.parse((JSON.parse(line) as { time?: string }).time ?? '');
    return Number.isNaN(time) ? undefined : time;
  } catch {
    return undefined;
  }
}
