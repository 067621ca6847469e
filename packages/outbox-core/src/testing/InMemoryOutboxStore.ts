import type { OutboxMessage, OutboxMessageInput } from '../OutboxMessage.js';
import type { ClaimOptions, DeadMark, OutboxStats, OutboxStore, ReleaseOptions, RetryMark } from '../OutboxStore.js';
import { prepareMessages } from '../prepareMessage.js';

/** One outbox row as {@link InMemoryOutboxStore} keeps it (the columns of the outbox table). */
export interface InMemoryOutboxRow extends OutboxMessage {
  availableAt: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  sentAt: Date | null;
  deadAt: Date | null;
}

/** Store operations that {@link InMemoryOutboxStore.failNext} can make fail. */
export type InMemoryStoreOperation = 'claim' | 'markSent' | 'markRetry' | 'markDead' | 'release' | 'resume' | 'stats';

/**
 * An {@link OutboxStore} in memory, with the semantics of `PostgresOutboxStore`: claims in `seq` order
 * with a lease and an `attempts` bump, backoff through `availableAt`, marks fenced by `locked_by`
 * (a relay that no longer holds the lease changes nothing), expired leases claimable again, ordered
 * claims per `groupKey`, stats, and a wake-up on {@link add}. For tests of the core and of transports.
 *
 * Time is the wall clock plus an offset that {@link advanceTime} moves forward, so tests can let leases
 * and backoffs run out without waiting. Like the database, the store keeps its own clock: the relay
 * passes delays, and every stored time is this clock plus a delay.
 *
 * @example
 * ```ts
 * const store = new InMemoryOutboxStore();
 * store.add([{ subject: 'payment.created', body: { id: 1 } }]);
 * const relay = new Relay({ store, transport: new TestTransport() });
 * await relay.drain();
 * store.all().every((row) => row.sentAt !== null); // true
 * ```
 */
export class InMemoryOutboxStore implements OutboxStore {
  private readonly rows = new Map<string, InMemoryOutboxRow>();
  private nextSeq = 1n;
  private offsetMs = 0;
  private readonly wakeListeners = new Set<() => void>();
  private readonly failures = new Map<InMemoryStoreOperation, { times: number; error: Error }>();

  /** Inserts messages as committed rows (validated like `sendEvent`) and wakes subscribers. Returns the new rows. */
  add(inputs: OutboxMessageInput | readonly OutboxMessageInput[]): InMemoryOutboxRow[] {
    const list = Array.isArray(inputs) ? (inputs as readonly OutboxMessageInput[]) : [inputs as OutboxMessageInput];
    const now = this.now();
    const added = prepareMessages(list).map((p) => {
      const row: InMemoryOutboxRow = {
        id: p.id,
        seq: String(this.nextSeq++),
        subject: p.subject,
        payload: p.payload,
        headers: p.headers,
        groupKey: p.groupKey,
        dedupId: p.dedupId,
        createdAt: new Date(now),
        attempts: 0,
        availableAt: new Date(now + p.delayMs),
        lockedBy: null,
        lockedUntil: null,
        lastError: null,
        sentAt: null,
        deadAt: null,
      };
      this.rows.set(row.id, row);
      return { ...row };
    });
    for (const wake of this.wakeListeners) queueMicrotask(wake);
    return added;
  }

  /** Every row, in `seq` order (copies). */
  all(): InMemoryOutboxRow[] {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }

  /** One row by id (a copy), or undefined. */
  get(id: string): InMemoryOutboxRow | undefined {
    const row = this.rows.get(id);
    return row && { ...row };
  }

  /** Moves this store's clock forward: leases and backoffs run out as if `ms` had passed. */
  advanceTime(ms: number): void {
    this.offsetMs += ms;
  }

  /** The store's current time in ms (wall clock plus {@link advanceTime} offsets). */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Makes the next `times` calls of `operation` reject with `error` (a store outage in a test). */
  failNext(operation: InMemoryStoreOperation, times = 1, error: Error = new Error(`simulated ${operation} failure`)): void {
    this.failures.set(operation, { times, error });
  }

  async claim(options: ClaimOptions): Promise<OutboxMessage[]> {
    this.maybeFail('claim');
    const now = this.now();
    const pending = this.pendingRows();
    const leased = (r: InMemoryOutboxRow) => r.lockedUntil !== null && r.lockedUntil.getTime() > now;
    const available = (r: InMemoryOutboxRow) => r.availableAt.getTime() <= now && !leased(r);
    let candidates: InMemoryOutboxRow[];
    if (!options.ordered) {
      candidates = pending.filter(available);
    } else {
      // Per group: nothing if any message is leased, else the run of available messages from the head.
      const blocked = new Set<string>();
      for (const r of pending) if (r.groupKey !== null && leased(r)) blocked.add(r.groupKey);
      candidates = [];
      for (const r of pending) {
        if (r.groupKey === null) {
          if (available(r)) candidates.push(r);
        } else if (!blocked.has(r.groupKey)) {
          if (available(r)) candidates.push(r);
          else blocked.add(r.groupKey); // a gap: the group's later messages wait behind it
        }
      }
    }
    const claimed = candidates.slice(0, options.limit);
    for (const r of claimed) {
      r.lockedBy = options.relayId;
      r.lockedUntil = new Date(now + options.leaseMs);
      r.attempts += 1;
    }
    return claimed.map(toMessage);
  }

  async markSent(relayId: string, ids: readonly string[]): Promise<number> {
    this.maybeFail('markSent');
    const now = new Date(this.now());
    return this.fenced(relayId, ids, (r) => {
      r.sentAt = now;
      r.lastError = null;
    });
  }

  async markRetry(relayId: string, marks: readonly RetryMark[]): Promise<number> {
    this.maybeFail('markRetry');
    const now = this.now();
    const byId = new Map(marks.map((m) => [m.id, m]));
    return this.fenced(relayId, [...byId.keys()], (r) => {
      const m = byId.get(r.id)!;
      r.availableAt = new Date(now + m.delayMs);
      r.lastError = m.error;
    });
  }

  async markDead(relayId: string, marks: readonly DeadMark[]): Promise<number> {
    this.maybeFail('markDead');
    const now = new Date(this.now());
    const byId = new Map(marks.map((m) => [m.id, m]));
    return this.fenced(relayId, [...byId.keys()], (r) => {
      r.deadAt = now;
      r.lastError = byId.get(r.id)!.error;
    });
  }

  async release(relayId: string, ids: readonly string[], options: ReleaseOptions = {}): Promise<number> {
    this.maybeFail('release');
    const { delayMs = 0, error } = options;
    const now = this.now();
    return this.fenced(relayId, ids, (r) => {
      r.attempts = Math.max(0, r.attempts - 1);
      if (delayMs > 0) r.availableAt = new Date(now + delayMs);
      if (error !== undefined) r.lastError = error;
    });
  }

  async resume(ids: readonly string[]): Promise<number> {
    this.maybeFail('resume');
    const now = this.now();
    let changed = 0;
    for (const id of ids) {
      const r = this.rows.get(id);
      const leased = r?.lockedUntil != null && r.lockedUntil.getTime() > now;
      if (!r || r.sentAt !== null || r.deadAt !== null || leased || r.availableAt.getTime() <= now) continue;
      r.availableAt = new Date(now);
      changed++;
    }
    return changed;
  }

  async stats(): Promise<OutboxStats> {
    this.maybeFail('stats');
    const now = this.now();
    const pending = this.pendingRows();
    return {
      pending: pending.length,
      oldestPendingAgeMs: pending.length === 0 ? null : now - Math.min(...pending.map((r) => r.createdAt.getTime())),
      inFlight: pending.filter((r) => r.lockedUntil !== null && r.lockedUntil.getTime() > now).length,
      dead: [...this.rows.values()].filter((r) => r.deadAt !== null).length,
    };
  }

  async subscribe(onWake: () => void): Promise<() => Promise<void>> {
    const listener = () => onWake();
    this.wakeListeners.add(listener);
    return async () => {
      this.wakeListeners.delete(listener);
    };
  }

  /** Number of live wake-up subscriptions (to check that a relay unsubscribed). */
  get subscriberCount(): number {
    return this.wakeListeners.size;
  }

  private pendingRows(): InMemoryOutboxRow[] {
    return [...this.rows.values()].filter((r) => r.sentAt === null && r.deadAt === null);
  }

  /** Applies `change` to the pending rows still locked by `relayId`, then clears their lease. */
  private fenced(relayId: string, ids: readonly string[], change: (row: InMemoryOutboxRow) => void): number {
    let changed = 0;
    for (const id of new Set(ids)) {
      const r = this.rows.get(id);
      if (!r || r.lockedBy !== relayId || r.sentAt !== null || r.deadAt !== null) continue;
      change(r);
      r.lockedBy = null;
      r.lockedUntil = null;
      changed++;
    }
    return changed;
  }

  private maybeFail(operation: InMemoryStoreOperation): void {
    const f = this.failures.get(operation);
    if (!f) return;
    if (--f.times <= 0) this.failures.delete(operation);
    throw f.error;
  }
}

function toMessage(r: InMemoryOutboxRow): OutboxMessage {
  return {
    id: r.id,
    seq: r.seq,
    subject: r.subject,
    payload: r.payload,
    headers: { ...r.headers },
    groupKey: r.groupKey,
    dedupId: r.dedupId,
    createdAt: r.createdAt,
    attempts: r.attempts,
  };
}
