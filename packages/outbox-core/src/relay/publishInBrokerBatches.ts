import { checkInteger } from '../options/optionChecks.js';
import type { OutboxMessage } from '../OutboxMessage.js';
import type { PublishResult } from '../Transport.js';
import { errorText } from './errorText.js';
import { GroupGate } from './GroupGate.js';
import { missingResult } from './missingResult.js';

/** A result decided without sending: the message failed, and is not sent. */
export type RefusedResult = Exclude<PublishResult, { status: 'sent' }>;

/** Arguments of {@link publishInBrokerBatches}. */
export interface PublishInBrokerBatchesOptions {
  /**
   * Optional. Decides, before anything is sent, that a message fails: what the broker would refuse
   * (too large, no route), or a test's simulated failure. Called once per message, in claim order,
   * before `split`; a message it refuses is neither split nor sent.
   */
  refuse?: (message: OutboxMessage) => RefusedResult | undefined;
  /** Splits the messages into broker batches (e.g. ≤ 10 entries and ≤ 256 KiB), keeping their order. */
  split: (messages: readonly OutboxMessage[]) => OutboxMessage[][];
  /** Sends one broker batch; returns one result per message of it. A throw makes the whole broker batch `retry`. */
  send: (brokerBatch: OutboxMessage[]) => Promise<PublishResult[]>;
  /** Broker batches in flight at once (integer `>= 1`). */
  concurrency: number;
  /**
   * Ordered mode: a broker batch holding a `groupKey` that an earlier broker batch also holds waits for
   * it, and the {@link GroupGate} rule holds back a group's later messages once one of them failed.
   */
  ordered: boolean;
}

/**
 * The shared engine of transports: sends broker batches with bounded concurrency and returns one
 * result per message, in input order. It implements the ordered-mode part of the `Transport`
 * contract (through {@link GroupGate}), so a transport only says how to split and how to send one
 * broker batch, and optionally what it refuses outright.
 *
 * Inside one broker call the broker itself decides: if it rejects one entry of a group and accepts a
 * later entry of the same group, those two go out of order (the rejected one is retried after).
 *
 * @example
 * ```ts
 * publish(messages, { ordered }) {
 *   return publishInBrokerBatches(messages, {
 *     split: (msgs) => chunk(msgs, 10),
 *     send: (brokerBatch) => this.publishBatch(brokerBatch),
 *     concurrency: 8,
 *     ordered,
 *   });
 * }
 * ```
 */
export async function publishInBrokerBatches(
  messages: readonly OutboxMessage[],
  options: PublishInBrokerBatchesOptions,
): Promise<PublishResult[]> {
  const { concurrency, ordered } = options;
  checkInteger('concurrency', concurrency, { min: 1 });
  const gate = new GroupGate(ordered);
  const results = new Map<string, PublishResult>();
  const settle = (m: OutboxMessage, r: PublishResult): void => {
    results.set(m.id, r);
    if (r.status !== 'sent') gate.close(m, true);
  };

  const toSend: OutboxMessage[] = [];
  for (const m of messages) {
    const refused = gate.heldBy(m) ? gate.heldBack(m) : options.refuse?.(m);
    if (refused) settle(m, refused);
    else toSend.push(m);
  }

  const slots = new Slots(concurrency);
  const sendOne = async (brokerBatch: OutboxMessage[], after: Promise<void>[]): Promise<void> => {
    await Promise.all(after);
    await slots.acquire();
    try {
      const going = brokerBatch.filter((m) => {
        if (!gate.heldBy(m)) return true;
        settle(m, gate.heldBack(m));
        return false;
      });
      if (going.length === 0) return;
      let sent: PublishResult[];
      try {
        sent = await options.send(going);
      } catch (error) {
        sent = going.map((m) => ({ id: m.id, status: 'retry', error: errorText(error) }));
      }
      const byId = new Map(sent.map((r) => [r.id, r]));
      for (const m of going) {
        settle(m, byId.get(m.id) ?? missingResult(m.id));
      }
    } finally {
      slots.release();
    }
  };

  // In ordered mode each broker batch waits for the last earlier broker batch of each of its groups.
  const lastOfGroup = new Map<string, Promise<void>>();
  const running: Promise<void>[] = [];
  for (const brokerBatch of options.split(toSend)) {
    const groups = ordered ? new Set(brokerBatch.flatMap((m) => (m.groupKey === null ? [] : [m.groupKey]))) : new Set<string>();
    const done = sendOne(brokerBatch, [...groups].flatMap((g) => lastOfGroup.get(g) ?? []));
    for (const g of groups) lastOfGroup.set(g, done);
    running.push(done);
  }
  await Promise.all(running);
  return messages.map(
    (m) => results.get(m.id) ?? { id: m.id, status: 'retry', error: 'not sent: the message was left out of every broker batch' },
  );
}

/** A counting semaphore: at most `size` holders, served first come first served. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
