import type { OutboxMessage } from '../OutboxMessage.js';
import type { PublishOptions, PublishResult, Transport } from '../Transport.js';
import { publishInBrokerBatches, type RefusedResult } from '../relay/publishInBrokerBatches.js';

/** Which messages a {@link TestTransport} failure rule applies to: by field, or by a predicate. */
export type MessageMatcher =
  | { id?: string; subject?: string; groupKey?: string }
  | ((message: OutboxMessage) => boolean);

/** How matching messages fail. */
export interface FailureRule {
  /** `retry` (transient), `permanent` (the message is bad) or `blocked` (its route is). A message's route is its subject. */
  status?: 'retry' | 'permanent' | 'blocked';
  /** Error text reported. @defaultValue 'simulated failure' */
  error?: string;
  /** Fail this many times (per rule, counting each failed message), then succeed. @defaultValue forever */
  times?: number;
}

/** Options of {@link TestTransport}. */
export interface TestTransportOptions {
  /** Messages per simulated broker batch. @defaultValue 10 */
  brokerBatchSize?: number;
  /** Broker batches in flight at once. @defaultValue 4 */
  concurrency?: number;
}

/** One recorded `publish` call. */
export interface TestTransportCall {
  messages: OutboxMessage[];
  options: PublishOptions;
  /** The results returned, or undefined if the call threw or is still running. */
  results?: PublishResult[];
}

/**
 * A {@link Transport} for tests: records every publish call, and can be told to fail per message
 * (transiently `times` times, or permanently), to throw, or to hang until released. It has no
 * ordering code of its own: {@link publishInBrokerBatches} (broker batches of `brokerBatchSize`) applies the
 * ordered-mode rule, as it does for a real transport.
 *
 * @example
 * ```ts
 * const transport = new TestTransport();
 * transport.failWhen({ subject: 'payment.refunded' }, { status: 'permanent', error: 'NotFound: no topic' });
 * transport.failWhen({ groupKey: 'order-7' }, { times: 2 }); // transient, then succeeds
 * ```
 */
export class TestTransport implements Transport {
  /** Every publish call, in order. */
  readonly calls: TestTransportCall[] = [];
  /** Every message reported `sent`, in the order they were "published". */
  readonly published: OutboxMessage[] = [];
  /** Whether `close()` was called. */
  closed = false;
  /** Publish calls not finished yet (running, or waiting at a {@link hold} gate). */
  pending = 0;
  private readonly rules: { match: MessageMatcher; rule: Required<Omit<FailureRule, 'times'>> & { times: number } }[] = [];
  private throws: { times: number; error: Error } | undefined;
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  constructor(private readonly options: TestTransportOptions = {}) {}

  /** Ids of the published messages, in order. */
  get publishedIds(): string[] {
    return this.published.map((m) => m.id);
  }

  /** Makes matching messages fail. Rules are checked in the order they were added. */
  failWhen(match: MessageMatcher, rule: FailureRule = {}): this {
    this.rules.push({
      match,
      rule: { status: rule.status ?? 'retry', error: rule.error ?? 'simulated failure', times: rule.times ?? Infinity },
    });
    return this;
  }

  /** Makes the next `times` publish calls throw `error` (nothing published). */
  throwNext(times = 1, error: Error = new Error('simulated transport outage')): this {
    this.throws = { times, error };
    return this;
  }

  /** From now on, publish calls wait until {@link release} (simulates a hanging broker). */
  hold(): this {
    if (!this.gate) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      this.gate = { promise, open };
    }
    return this;
  }

  /** Lets held calls (and later ones) through. */
  release(): this {
    this.gate?.open();
    this.gate = undefined;
    return this;
  }

  /** Removes every failure rule and pending throw. */
  heal(): this {
    this.rules.length = 0;
    this.throws = undefined;
    return this;
  }

  async publish(messages: readonly OutboxMessage[], options: PublishOptions): Promise<PublishResult[]> {
    const call: TestTransportCall = { messages: [...messages], options };
    this.calls.push(call);
    this.pending++;
    try {
      if (this.gate) await this.gate.promise;
      if (this.throws) {
        const { error } = this.throws;
        if (--this.throws.times <= 0) this.throws = undefined;
        throw error;
      }
      call.results = await publishInBrokerBatches(messages, {
        refuse: (m) => this.simulatedFailure(m),
        split: (msgs) => chunk(msgs, this.options.brokerBatchSize ?? 10),
        send: async (brokerBatch) => this.send(brokerBatch),
        concurrency: this.options.concurrency ?? 4,
        ordered: options.ordered,
      });
      return call.results;
    } finally {
      this.pending--;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The first matching failure rule with tries left decides; it counts each message it fails. */
  private simulatedFailure(m: OutboxMessage): RefusedResult | undefined {
    const hit = this.rules.find((r) => r.rule.times > 0 && matches(r.match, m));
    if (!hit) return undefined;
    hit.rule.times--;
    const { status, error } = hit.rule;
    if (status === 'blocked') return { id: m.id, status, route: m.subject, error, code: 'SimulatedBlock' };
    return status === 'retry' ? { id: m.id, status, error, route: m.subject } : { id: m.id, status, error };
  }

  /** The route of a sent message is its subject, as for a blocked one, so the relay sees a route unblock. */
  private send(brokerBatch: OutboxMessage[]): PublishResult[] {
    this.published.push(...brokerBatch);
    return brokerBatch.map((m) => ({ id: m.id, status: 'sent', route: m.subject }));
  }
}

function matches(match: MessageMatcher, m: OutboxMessage): boolean {
  if (typeof match === 'function') return match(m);
  return (
    (match.id === undefined || match.id === m.id) &&
    (match.subject === undefined || match.subject === m.subject) &&
    (match.groupKey === undefined || match.groupKey === m.groupKey)
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
