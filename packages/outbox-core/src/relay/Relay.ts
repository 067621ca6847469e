import { setTimeout as sleep } from 'node:timers/promises';
import { OutboxError } from '../errors.js';
import type { OutboxMessage } from '../OutboxMessage.js';
import type { PublishResult } from '../Transport.js';
import { computeBackoff } from './computeBackoff.js';
import { errorText } from './errorText.js';
import { planMarks, type MarkPlan } from './planMarks.js';
import type { RelayErrorStage, RelayEvents } from './RelayEvents.js';
import type { RelayOptions, ResolvedRelayOptions } from './RelayOptions.js';
import { resolveRelayOptions } from './resolveRelayOptions.js';
import { SafeEmitter } from './SafeEmitter.js';
import { WakeSignal } from './WakeSignal.js';
import { Broadcast } from './Broadcast.js';

/** What one {@link Relay.runOnce} (or {@link Relay.drain}) did. `retried` includes messages given back. */
export interface RelayRunCounts {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
}

/** A claimed batch split by {@link Relay.admit}: `batch` is registered in flight. */
interface Admitted {
  claimed: OutboxMessage[];
  batch: OutboxMessage[];
  busyGroup: OutboxMessage[];
  ownGroups: Set<string>;
}

/** Backoff after a failed claim (store down): 100 ms doubling to 5 s, ±50 %. */
/** Claims a relay runs at once while its batches come back full. */
const MAX_PARALLEL_CLAIMS = 4;
const STORE_ERROR_BACKOFF = { initialIntervalMs: 100, backoffCoefficient: 2, maxIntervalMs: 5_000, jitter: 0.5 };
/** A failed mark is tried this many times in all, 100 ms then 300 ms apart (±50 %). */
const MARK_TRIES = 3;
const MARK_BACKOFF = { initialIntervalMs: 100, backoffCoefficient: 3, maxIntervalMs: 2_000, jitter: 0.5 };

/**
 * Publishes committed outbox messages: claims a batch from an {@link OutboxStore}, publishes it with a
 * {@link Transport}, and marks each message sent, to retry (after a backoff) or dead, up to
 * `maxInFlight` batches at once. Knows no database and no broker.
 *
 * Delivery is at least once: if the relay dies, or a mark keeps failing, after a claim, the lease
 * (`leaseMs`) runs out and the messages are claimed and published again. Consumers deduplicate on the
 * outbox message id.
 *
 * @example
 * ```ts
 * const relay = new Relay({ store, transport, ordered: true, retry: { maxAttempts: 10 } });
 * relay.on('message:dead', ({ message, error }) => log.error({ id: message.id, error }, 'dead-lettered'));
 * await relay.start();
 * process.once('SIGTERM', () => void relay.stop());
 * ```
 */
export class Relay {
  /** This relay's identity in the store's leases. */
  readonly relayId: string;
  private readonly options: ResolvedRelayOptions;
  private readonly events: SafeEmitter<RelayEvents>;
  private readonly wakeSignal = new WakeSignal();
  /** Wakes the extra claimers when a claim comes back full. */
  private readonly deepBacklog = new Broadcast();
  private backlogDeep = false;
  private claiming = 0;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Ordered mode: groups carried by a batch of this relay that is being published. */
  private readonly groupsInFlight = new Set<string>();
  /** Ids of the messages in the batches of this relay that are being published. */
  private readonly idsInFlight = new Set<string>();
  private unsubscribe: (() => Promise<void>) | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private subscribeTimer: NodeJS.Timeout | undefined;
  private statsBusy = false;

  /** @throws InvalidOptionError naming the option and the expected value. */
  constructor(options: RelayOptions) {
    this.options = resolveRelayOptions(options);
    this.relayId = this.options.relayId;
    this.events = new SafeEmitter<RelayEvents>(this.options.logger);
  }

  /** Subscribes to an event; returns a function that unsubscribes. A throwing listener is logged, never fatal. */
  on<E extends keyof RelayEvents>(event: E, listener: (payload: RelayEvents[E]) => void | Promise<void>): () => void {
    return this.events.on(event, listener);
  }

  off<E extends keyof RelayEvents>(event: E, listener: (payload: RelayEvents[E]) => void | Promise<void>): void {
    this.events.off(event, listener);
  }

  /** Whether the loop runs (between `start()` and `stop()`). */
  get running(): boolean {
    return this.state === 'running';
  }

  /**
   * Starts the loop and resolves once it runs. Idempotent. Subscribes to the store's wake-up if it has
   * one; if that fails the relay polls (`relay:error` with stage `subscribe`) and keeps trying to subscribe.
   */
  start(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') {
      return Promise.reject(new OutboxError(`Relay ${this.relayId} was stopped and cannot start again: create a new Relay.`));
    }
    this.starting ??= this.begin();
    return this.starting;
  }

  /**
   * Stops claiming, waits until every batch in flight is published and marked, gives back anything
   * claimed but not yet handed to the transport, unsubscribes, closes the transport (if it has
   * `close()`) and resolves. Idempotent; safe to call without `start()`.
   */
  stop(): Promise<void> {
    this.stopping ??= this.end();
    return this.stopping;
  }

  /** Claims one batch, publishes and marks it. For tests and cron-style use; rejects if the claim fails. */
  async runOnce(): Promise<RelayRunCounts> {
    if (this.state === 'stopping' || this.state === 'stopped') {
      throw new OutboxError(`Relay ${this.relayId} is stopped: runOnce() needs a relay that was not stopped.`);
    }
    const work = this.claimAndRun();
    // stop() waits for this claim too, so it never closes the transport under it.
    this.track(work.catch(() => undefined));
    return work;
  }

  private async claimAndRun(): Promise<RelayRunCounts> {
    const batch = await this.claim();
    if (this.state === 'stopping' || this.state === 'stopped') {
      // stop() began while claiming: the transport is (being) closed, so publish nothing.
      await this.giveBack(batch.filter((m) => !this.idsInFlight.has(m.id)));
      return { claimed: 0, sent: 0, retried: 0, dead: 0 };
    }
    if (batch.length === 0) return { claimed: 0, sent: 0, retried: 0, dead: 0 };
    return this.pipeline(this.admit(batch));
  }

  /** Calls {@link runOnce} until a claim comes back empty; returns the totals. */
  async drain(): Promise<RelayRunCounts> {
    const total: RelayRunCounts = { claimed: 0, sent: 0, retried: 0, dead: 0 };
    for (;;) {
      const c = await this.runOnce();
      if (c.claimed === 0) return total;
      total.claimed += c.claimed;
      total.sent += c.sent;
      total.retried += c.retried;
      total.dead += c.dead;
    }
  }

  private async begin(): Promise<void> {
    this.state = 'running';
    const { store, statsIntervalMs } = this.options;
    if (store.subscribe) await this.subscribe(0);
    if (statsIntervalMs > 0) {
      this.statsTimer = setInterval(() => void this.emitBacklog(), statsIntervalMs);
      this.statsTimer.unref();
    }
    this.loopDone = this.loop();
    this.events.emit('relay:started', { relayId: this.relayId });
  }

  /**
   * Subscribes to the store's wake-up. If that fails (say the database is down at start) the relay
   * polls meanwhile and tries again with a growing delay, so NOTIFY latency comes back by itself.
   */
  private async subscribe(failures: number): Promise<void> {
    if (this.state !== 'running') return;
    try {
      const unsubscribe = await this.options.store.subscribe!(() => this.wakeSignal.wake());
      // stop() may have run while this retry was connecting: give the connection straight back.
      if (this.state !== 'running' && this.subscribeTimer !== undefined) await unsubscribe();
      else this.unsubscribe = unsubscribe;
    } catch (error) {
      // stop() ran while this retry was connecting: no error to report, no new timer.
      if (this.state !== 'running') return;
      this.fail('subscribe', error);
      const delay = Math.min(30_000, 1000 * 2 ** failures) * (0.5 + Math.random() / 2);
      this.subscribeTimer = setTimeout(() => void this.subscribe(failures + 1), delay);
      this.subscribeTimer.unref();
    }
  }

  private async end(): Promise<void> {
    await this.starting?.catch(() => {});
    this.state = 'stopping';
    clearInterval(this.statsTimer);
    clearTimeout(this.subscribeTimer);
    this.wakeSignal.wake();
    this.deepBacklog.wakeAll();
    await this.loopDone;
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.unsubscribe) {
      try {
        await this.unsubscribe();
      } catch (error) {
        this.fail('subscribe', error);
      }
    }
    try {
      await this.options.transport.close?.();
    } catch (error) {
      this.safeLog('warn', `Relay ${this.relayId}: closing the transport failed`, { error });
    }
    this.state = 'stopped';
    this.events.emit('relay:stopped', { relayId: this.relayId });
  }

  /**
   * Claims while there is room in flight; claims again at once after a full batch, else sleeps until
   * woken or polled. While batches come back full, up to {@link MAX_PARALLEL_CLAIMS} claims run at
   * once: with small batches and a slow broker, one claim at a time caps throughput at
   * batchSize ÷ claim round trip (measured: 16 batches of 10 in flight behind a 20 ms broker got no
   * faster than 4). The extra claimers sleep while the backlog is short, so an idle relay still polls
   * with one query per interval.
   */
  private async loop(): Promise<void> {
    const claimers = Math.max(1, Math.min(this.options.maxInFlight, MAX_PARALLEL_CLAIMS));
    await Promise.all(Array.from({ length: claimers }, (_, i) => this.claimLoop(i === 0)));
  }

  private async claimLoop(primary: boolean): Promise<void> {
    const { maxInFlight, batchSize, pollIntervalMs } = this.options;
    let failures = 0;
    while (this.state === 'running') {
      if (!primary && !this.backlogDeep) {
        await this.deepBacklog.wait();
        continue;
      }
      // Never empty here: the other claimers hold at most maxInFlight - 1 places.
      if (this.inFlight.size + this.claiming >= maxInFlight) {
        await Promise.race(this.inFlight);
        continue;
      }
      let batch: OutboxMessage[];
      this.claiming += 1;
      try {
        batch = await this.claim();
        failures = 0;
      } catch (error) {
        this.backlogDeep = false;
        this.fail('claim', error);
        // Only the primary claimer backs off and retries; the others wait for a deep backlog again.
        if (primary) await this.wakeSignal.wait(computeBackoff(++failures, STORE_ERROR_BACKOFF));
        continue;
      } finally {
        this.claiming -= 1;
      }
      if (this.state !== 'running') {
        // stop() came while claiming: nothing of this batch was handed to the transport yet.
        await this.giveBack(batch.filter((m) => !this.idsInFlight.has(m.id)));
        break;
      }
      const admitted = this.admit(batch);
      if (batch.length > 0) void this.track(this.pipeline(admitted));
      this.backlogDeep = batch.length >= batchSize;
      if (this.backlogDeep) this.deepBacklog.wakeAll();
      // A short batch is no sign the backlog is gone (the ordered claim filters after its LIMIT):
      // the primary claims again at once and sleeps only after a claim that brought nothing new to
      // publish, so an idle relay still polls once per interval and never spins.
      else if (primary && admitted.batch.length === 0) await this.wakeSignal.wait(pollIntervalMs);
    }
  }

  private claim(): Promise<OutboxMessage[]> {
    const { store, batchSize, leaseMs, ordered } = this.options;
    return store.claim({ relayId: this.relayId, limit: batchSize, leaseMs, ordered });
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /**
   * Splits a claimed batch into what this relay publishes now and what it gives back, and registers
   * the former as in flight. Synchronous, so no other batch of this relay is admitted in between.
   * A lease that ran out while its batch was still publishing can hand this relay messages it is
   * already publishing: those are skipped (still leased by this relay, the batch in flight marks
   * them). In ordered mode, other messages of a group in flight are given back, so two batches of
   * this relay never carry one group.
   */
  private admit(claimed: OutboxMessage[]): Admitted {
    const batch: OutboxMessage[] = [];
    const busyGroup: OutboxMessage[] = [];
    for (const m of claimed) {
      if (this.idsInFlight.has(m.id)) continue;
      if (this.options.ordered && m.groupKey !== null && this.groupsInFlight.has(m.groupKey)) busyGroup.push(m);
      else batch.push(m);
    }
    const ownGroups = new Set(this.options.ordered ? batch.flatMap((m) => (m.groupKey === null ? [] : [m.groupKey])) : []);
    for (const g of ownGroups) this.groupsInFlight.add(g);
    for (const m of batch) this.idsInFlight.add(m.id);
    return { claimed, batch, busyGroup, ownGroups };
  }

  /** Publish one admitted batch and mark the outcome. Never rejects. */
  private async pipeline({ claimed, batch, busyGroup, ownGroups }: Admitted): Promise<RelayRunCounts> {
    const counts: RelayRunCounts = { claimed: claimed.length, sent: 0, retried: 0, dead: 0 };
    counts.retried += claimed.length - batch.length;
    if (busyGroup.length > 0) await this.giveBack(busyGroup);
    try {
      if (batch.length === 0) return counts;
      const results = await this.publish(batch);
      const plan = planMarks(batch, results, { policy: this.options.retry, ordered: this.options.ordered, now: Date.now() });
      const sentMarked = await this.applyPlan(plan);
      this.report(plan, sentMarked);
      counts.sent += plan.sent.length;
      counts.retried += plan.retry.length + plan.release.length;
      counts.dead += plan.dead.length;
      this.events.emit('batch:published', { count: batch.length, sent: plan.sent.length, retried: plan.retry.length + plan.release.length, dead: plan.dead.length });
      // Messages released behind a dead head can go out at once.
      if (plan.release.some((r) => r.availableAt.getTime() <= Date.now())) this.wakeSignal.wake();
      return counts;
    } catch (error) {
      // Only a bug gets here (publish and marks catch their own errors); the leases will run out.
      this.safeLog('error', `Relay ${this.relayId}: unexpected error in a batch`, { error });
      return counts;
    } finally {
      for (const g of ownGroups) this.groupsInFlight.delete(g);
      for (const m of batch) this.idsInFlight.delete(m.id);
    }
  }

  /** A transport that throws leaves every message of the call to retry. */
  private async publish(batch: OutboxMessage[]): Promise<Map<string, PublishResult>> {
    try {
      const results = await this.options.transport.publish(batch, { ordered: this.options.ordered });
      return new Map(results.map((r) => [r.id, r]));
    } catch (error) {
      this.fail('publish', error);
      const text = errorText(error);
      return new Map(batch.map((m) => [m.id, { id: m.id, status: 'retry', error: text }]));
    }
  }

  /**
   * Writes the plan back; resolves whether the sent mark succeeded. Held-back messages are released
   * only after their heads were marked, so the store sees every such group blocked by its head (backing
   * off, dead, or still leased if that mark failed) throughout; each group's held-back messages go back
   * together in the one release call.
   */
  private async applyPlan(plan: MarkPlan): Promise<boolean> {
    const { store } = this.options;
    const id = this.relayId;
    const [sentMarked] = await Promise.all([
      plan.sent.length === 0 || this.mark(() => store.markSent(id, plan.sent.map((m) => m.id))),
      plan.retry.length > 0 &&
        this.mark(() => store.markRetry(id, plan.retry.map((r) => ({ id: r.message.id, availableAt: r.availableAt, error: r.error })))),
      plan.dead.length > 0 && this.mark(() => store.markDead(id, plan.dead.map((d) => ({ id: d.message.id, error: d.error })))),
    ]);
    if (plan.release.length > 0) await this.mark(() => store.release(id, plan.release.map((r) => r.message.id)));
    return sentMarked;
  }

  /**
   * Runs one mark, trying it again a couple of times. If it still fails the messages stay leased until
   * `leaseMs` runs out and are then claimed and published again (at least once). Resolves whether it
   * succeeded.
   */
  private async mark(write: () => Promise<number>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return true;
      } catch (error) {
        if (attempt >= MARK_TRIES) {
          this.fail('mark', error);
          return false;
        }
        await sleep(computeBackoff(attempt, MARK_BACKOFF));
      }
    }
  }

  private async giveBack(messages: OutboxMessage[]): Promise<void> {
    if (messages.length > 0) await this.mark(() => this.options.store.release(this.relayId, messages.map((m) => m.id)));
  }

  /** Per-message events; skipped (no payloads built) for events nobody listens to. */
  private report(plan: MarkPlan, sentMarked: boolean): void {
    const events = this.events;
    if (sentMarked && events.hasListeners('message:published')) {
      for (const message of plan.sent) events.emit('message:published', { message });
    }
    if (events.hasListeners('message:failed')) {
      for (const { message, availableAt, error } of plan.retry) {
        events.emit('message:failed', { message, error, willRetry: true, availableAt });
      }
      for (const { message, availableAt, error } of plan.release) {
        events.emit('message:failed', { message, error, willRetry: true, availableAt });
      }
      for (const { message, error } of plan.dead) events.emit('message:failed', { message, error, willRetry: false, availableAt: null });
    }
    if (events.hasListeners('message:dead')) {
      for (const { message, error } of plan.dead) events.emit('message:dead', { message, error });
    }
  }

  private async emitBacklog(): Promise<void> {
    if (this.statsBusy) return;
    this.statsBusy = true;
    try {
      this.events.emit('relay:backlog', await this.options.store.stats());
    } catch (error) {
      this.fail('stats', error);
    } finally {
      this.statsBusy = false;
    }
  }

  private fail(stage: RelayErrorStage, error: unknown): void {
    this.safeLog('warn', `Relay ${this.relayId}: ${stage} failed: ${errorText(error)}`, { stage, error });
    this.events.emit('relay:error', { stage, error });
  }

  /** A logger that throws must never stop the loop or reject a batch. */
  private safeLog(level: 'warn' | 'error', message: string, context: Record<string, unknown>): void {
    try {
      this.options.logger[level](message, context);
    } catch {
      // Nowhere left to report it.
    }
  }
}
