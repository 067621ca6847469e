import type { OutboxMessage } from '../OutboxMessage.js';
import type { PublishResult } from '../Transport.js';
import { computeBackoff } from './computeBackoff.js';
import { GroupGate, heldBackError } from './GroupGate.js';
import { isRetryable } from './isRetryable.js';
import { missingResult } from './missingResult.js';
import type { RetryPolicy } from './RetryPolicy.js';

/** What to write back for one published batch: one store call per non-empty list. */
export interface MarkPlan {
  sent: OutboxMessage[];
  retry: { message: OutboxMessage; availableAt: Date; error: string }[];
  dead: { message: OutboxMessage; error: string }[];
  /**
   * Ordered mode: not sent only because an earlier message of their group failed. Given back with the
   * try not counted; the store keeps them waiting behind their head. `availableAt`: when they can go
   * out (the head's `availableAt` when it will be retried, now when it was dead-lettered).
   */
  release: { message: OutboxMessage; availableAt: Date; error: string }[];
}

export interface PlanMarksOptions {
  policy: RetryPolicy;
  ordered: boolean;
  now: number;
  random?: () => number;
}

/**
 * Turns a batch's publish results into marks.
 *
 * Unordered (and messages without a group): `sent` ⇒ sent; `retry` ⇒ retry after the backoff, or dead
 * when `nonRetryable` claims the error or the tries are used up; `permanent` ⇒ dead.
 *
 * Ordered, per group in batch (= `seq`) order: the first message not sent decides for the rest of the
 * group in the batch: the later ones are released (the try not counted). If the head will be retried,
 * the store's ordered claim keeps them waiting while it backs off, so a long outage uses up the head's
 * tries, not theirs. If it is dead-lettered, the head no longer blocks and they go out next. A later
 * message the transport reports `sent` anyway is marked sent (it was published); one it reports
 * `permanent` is dead.
 */
export function planMarks(messages: readonly OutboxMessage[], results: ReadonlyMap<string, PublishResult>, options: PlanMarksOptions): MarkPlan {
  const { policy, ordered, now } = options;
  const plan: MarkPlan = { sent: [], retry: [], dead: [], release: [] };
  // The fate of the head that closed a group: released followers wait for its retry time, or go now.
  const gate = new GroupGate<{ availableAt: Date }>(ordered);
  for (const message of messages) {
    const result = results.get(message.id) ?? missingResult(message.id);
    if (result.status === 'sent') {
      plan.sent.push(message);
      continue;
    }
    const head = gate.heldBy(message);
    if (head !== undefined && result.status === 'retry') {
      plan.release.push({ message, availableAt: head.availableAt, error: result.error || heldBackError(message.groupKey) });
      continue;
    }
    if (result.status === 'retry' && isRetryable(result.error, message.attempts, policy)) {
      const availableAt = new Date(now + computeBackoff(message.attempts, policy, options.random));
      plan.retry.push({ message, availableAt, error: result.error });
      gate.close(message, { availableAt });
    } else {
      plan.dead.push({ message, error: result.error });
      // A dead head no longer blocks: its followers may go out at once.
      gate.close(message, { availableAt: new Date(now) });
    }
  }
  return plan;
}
