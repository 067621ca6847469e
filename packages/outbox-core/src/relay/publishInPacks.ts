import { InvalidOptionError } from '../errors.js';
import type { OutboxMessage } from '../OutboxMessage.js';
import type { PublishResult } from '../Transport.js';
import { errorText } from './errorText.js';

/** Arguments of {@link publishInPacks}. */
export interface PublishInPacksOptions {
  /** Splits the messages into broker batches (e.g. ≤ 10 entries and ≤ 256 KiB), keeping their order. */
  pack: (messages: readonly OutboxMessage[]) => OutboxMessage[][];
  /** Sends one pack; returns one result per message of the pack. A throw makes the whole pack `retry`. */
  send: (pack: OutboxMessage[]) => Promise<PublishResult[]>;
  /** Packs in flight at once (integer >= 1). */
  concurrency: number;
  /**
   * Ordered mode: a pack holding a `groupKey` that an earlier pack also holds waits for that pack; once
   * a message of a group failed, the group's later messages are not sent and come back as `retry`.
   */
  ordered: boolean;
}

/**
 * The shared engine of transports: sends broker-sized packs with bounded concurrency and returns one
 * result per message, in input order. It implements the ordered-mode part of the `Transport`
 * contract, so a transport only has to say how to pack and how to send one pack.
 *
 * @example
 * ```ts
 * publish(messages, { ordered }) {
 *   return publishInPacks(messages, {
 *     pack: (msgs) => chunk(msgs, 10),
 *     send: (pack) => this.publishBatch(pack),
 *     concurrency: 8,
 *     ordered,
 *   });
 * }
 * ```
 */
export async function publishInPacks(messages: readonly OutboxMessage[], options: PublishInPacksOptions): Promise<PublishResult[]> {
  const { concurrency, ordered } = options;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new InvalidOptionError('concurrency', 'an integer >= 1', concurrency);
  }
  const packs = options.pack(messages);
  const results = new Map<string, PublishResult>();
  const failedGroups = new Set<string>();
  const slots = new Slots(concurrency);
  // In ordered mode each pack waits for the last earlier pack of each of its groups.
  const lastPackOfGroup = new Map<string, Promise<void>>();

  const runPack = async (pack: OutboxMessage[], after: Promise<void>[]): Promise<void> => {
    await Promise.all(after);
    await slots.acquire();
    try {
      const toSend: OutboxMessage[] = [];
      for (const m of pack) {
        if (ordered && m.groupKey !== null && failedGroups.has(m.groupKey)) results.set(m.id, heldBack(m));
        else toSend.push(m);
      }
      if (toSend.length === 0) return;
      let sent: PublishResult[];
      try {
        sent = await options.send(toSend);
      } catch (error) {
        sent = toSend.map((m) => ({ id: m.id, status: 'retry', error: errorText(error) }));
      }
      const byId = new Map(sent.map((r) => [r.id, r]));
      for (const m of toSend) {
        const r = byId.get(m.id) ?? { id: m.id, status: 'retry', error: 'not sent: the transport returned no result for this message' };
        results.set(m.id, r);
        if (ordered && r.status !== 'sent' && m.groupKey !== null) failedGroups.add(m.groupKey);
      }
    } finally {
      slots.release();
    }
  };

  const running: Promise<void>[] = [];
  for (const pack of packs) {
    const groups = ordered ? new Set(pack.flatMap((m) => (m.groupKey === null ? [] : [m.groupKey]))) : new Set<string>();
    const after = [...groups].flatMap((g) => lastPackOfGroup.get(g) ?? []);
    const done = runPack(pack, after);
    for (const g of groups) lastPackOfGroup.set(g, done);
    running.push(done);
  }
  await Promise.all(running);
  return messages.map(
    (m) => results.get(m.id) ?? { id: m.id, status: 'retry', error: 'not sent: the message was left out of every pack' },
  );
}

function heldBack(m: OutboxMessage): PublishResult {
  return { id: m.id, status: 'retry', error: `not sent: an earlier message of group ${m.groupKey} failed` };
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
