import type { OutboxMessage } from '../OutboxMessage.js';
import type { PublishResult } from '../Transport.js';

/**
 * The ordered rule, stated once: **within one claimed batch, after a group's first failure, hold back
 * the rest of the group**. A held-back message is not sent; it is reported `retry` with
 * {@link heldBackError} and given back without using a try, so it goes out after its head.
 *
 * One gate lives for one claimed batch. It is consulted in claim (`seq`) order by
 * `publishInBrokerBatches` (before each broker batch, and for messages refused before sending), by the
 * SNS/SQS broker-batch sender (through that helper) and by `planMarks` (which turns a failed head into
 * a retry or dead mark and releases its followers). Transports built on `publishInBrokerBatches` get the
 * rule without writing it.
 *
 * The other halves of ordered mode live where their data is: the store's ordered claim never hands
 * out a message while an earlier one of its group is pending (`claimOrderedMessages.ts` in
 * outbox-typeorm, `InMemoryOutboxStore.claim` here), and the relay's batch pipeline keeps at most one
 * claimed batch per group in flight (`admit` in `BatchPipeline.ts`).
 *
 * `Fate` is what the gate remembers about the failure that closed a group (`planMarks` keeps the head's
 * retry time); plain `true` when only "closed" matters. Unordered, the gate never holds anything back.
 */
export class GroupGate<Fate = true> {
  private readonly closed = new Map<string, Fate>();

  constructor(private readonly ordered: boolean) {}

  /** What closed `message`'s group earlier in this claimed batch; `undefined` when it may go. */
  heldBy(message: OutboxMessage): Fate | undefined {
    return this.ordered && message.groupKey !== null ? this.closed.get(message.groupKey) : undefined;
  }

  /** Records that `message` was not sent. The first failure of a group closes it; later ones keep that fate. */
  close(message: OutboxMessage, fate: Fate): void {
    const group = message.groupKey;
    if (this.ordered && group !== null && !this.closed.has(group)) this.closed.set(group, fate);
  }

  /** The result of a held-back message. */
  heldBack(message: OutboxMessage): PublishResult {
    return { id: message.id, status: 'retry', error: heldBackError(message.groupKey) };
  }
}

/** The error text of a message held back behind an earlier failure of its group. */
export function heldBackError(groupKey: string | null): string {
  return `not sent: an earlier message of group ${groupKey} failed`;
}
