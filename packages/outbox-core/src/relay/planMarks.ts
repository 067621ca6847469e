import type { OutboxMessage } from '../OutboxMessage.js';
import type { PublishResult } from '../Transport.js';
import { computeBackoff } from './computeBackoff.js';
import { GroupGate, heldBackError } from './GroupGate.js';
import { isRetryable } from './isRetryable.js';
import { missingResult } from './missingResult.js';
import type { RetryPolicy } from './RetryPolicy.js';

/** A message given back without using a try, claimable again `delayMs` from now (store clock). */
export interface ReleasePlan {
  message: OutboxMessage;
  delayMs: number;
  error: string;
  /** Set when it waits because a route is blocked (its own, or its group head's): the route says it once. */
  blockedRoute?: string;
  /** The route whose failure it waits on (its own, or its group head's), when the transport named it. */
  route?: string;
  /** It is its blocked route's probe: back after the short probe delay, not the route's backoff. */
  probe?: boolean;
}

/** A message to retry after its backoff, a try used. */
export interface RetryPlan {
  message: OutboxMessage;
  delayMs: number;
  error: string;
  /** The route it failed on, when the transport named it. */
  route?: string;
}

/**
 * What to write back for one published batch: one store call per non-empty list (`release`: one per
 * distinct delay and error). Delays, never times: the store adds them to its own clock, so a relay
 * whose clock is off retries neither too soon nor too late.
 */
export interface MarkPlan {
  sent: OutboxMessage[];
  retry: RetryPlan[];
  dead: { message: OutboxMessage; error: string }[];
  /**
   * Given back with the try not counted: messages of a blocked route (after the route's backoff), and in
   * ordered mode messages not sent only because an earlier message of their group failed (after their
   * head's delay: its retry backoff or its route's backoff, 0 when it was dead-lettered).
   */
  release: ReleasePlan[];
}

export interface PlanMarksOptions {
  policy: RetryPolicy;
  ordered: boolean;
  /** How long a blocked route's messages are held back, in ms (the route's current backoff). */
  blockedDelayMs: (route: string) => number;
  /** For a blocked route's message: the probe delay if it is to be the route's probe (RouteGate.takeProbe), else undefined. */
  probeDelayMs?: (route: string) => number | undefined;
  random?: () => number;
}

/**
 * Turns a batch's publish results into marks.
 *
 * Unordered (and messages without a group): `sent` ⇒ sent; `retry` ⇒ retry after the backoff, or dead
 * when `nonRetryable` claims the error or the tries are used up; `permanent` ⇒ dead; `blocked` ⇒
 * released for the route's backoff, the try not counted (a broken destination never uses up tries).
 *
 * Ordered, per group in batch (= `seq`) order: the first message not sent decides for the rest of the
 * group in the batch: the later ones are released (the try not counted) with the head's delay. While
 * the head backs off the store's ordered claim keeps the group waiting, so a long outage uses up the
 * head's tries, not theirs. If it is dead-lettered, the head no longer blocks and they go out next. A
 * later message the transport reports `sent` anyway is marked sent (it was published); one it reports
 * `permanent` is dead.
 */
export function planMarks(messages: readonly OutboxMessage[], results: ReadonlyMap<string, PublishResult>, options: PlanMarksOptions): MarkPlan {
  const { policy, ordered } = options;
  const plan: MarkPlan = { sent: [], retry: [], dead: [], release: [] };
  // The fate of the head that closed a group: released followers wait as long as it does. Behind a
  // blocked head they also carry its error, so the group goes back in the one release call.
  const gate = new GroupGate<{ delayMs: number; error?: string; blockedRoute?: string; route?: string }>(ordered);
  for (const message of messages) {
    const result = results.get(message.id) ?? missingResult(message.id);
    if (result.status === 'sent') {
      plan.sent.push(message);
      continue;
    }
    const head = gate.heldBy(message);
    if (head !== undefined && (result.status === 'retry' || result.status === 'blocked')) {
      plan.release.push({ message, delayMs: head.delayMs, error: head.error ?? (result.error || heldBackError(message.groupKey)), ...withRoutes(head) });
      continue;
    }
    if (result.status === 'blocked') {
      const probeMs = options.probeDelayMs?.(result.route);
      const delayMs = probeMs ?? options.blockedDelayMs(result.route);
      plan.release.push({ message, delayMs, error: result.error, blockedRoute: result.route, route: result.route, ...(probeMs === undefined ? {} : { probe: true }) });
      gate.close(message, { delayMs, error: result.error, blockedRoute: result.route, route: result.route });
    } else if (result.status === 'retry' && isRetryable(result.error, message.attempts, policy)) {
      const delayMs = computeBackoff(message.attempts, policy, options.random);
      plan.retry.push({ message, delayMs, error: result.error, ...withRoutes({ route: result.route }) });
      gate.close(message, { delayMs, ...withRoutes({ route: result.route }) });
    } else {
      plan.dead.push({ message, error: result.error });
      // A dead head no longer blocks: its followers may go out at once.
      gate.close(message, { delayMs: 0 });
    }
  }
  return plan;
}

/** The route fields that are set, so a plan entry carries no `undefined` keys. */
function withRoutes(from: { blockedRoute?: string; route?: string }): { blockedRoute?: string; route?: string } {
  return {
    ...(from.blockedRoute === undefined ? {} : { blockedRoute: from.blockedRoute }),
    ...(from.route === undefined ? {} : { route: from.route }),
  };
}
