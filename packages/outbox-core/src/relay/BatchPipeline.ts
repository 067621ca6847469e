import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboxMessage } from '../OutboxMessage.js';
import type { PublishResult } from '../Transport.js';
import type { Dispatched } from './ClaimLoop.js';
import { computeBackoff } from './computeBackoff.js';
import { errorText } from './errorText.js';
import { planMarks, type MarkPlan, type ReleasePlan } from './planMarks.js';
import type { RelayErrorStage, RelayEvents } from './RelayEvents.js';
import type { ResolvedRelayOptions } from './RelayOptions.js';
import type { RelayRunCounts } from './RelayRunCounts.js';
import type { RouteGate } from './RouteGate.js';
import type { RouteRecovery } from './RouteRecovery.js';
import type { SafeEmitter } from './SafeEmitter.js';
import { withDeadline } from './withDeadline.js';
import { PublishDeadlineError } from '../errors.js';

/*
 * The batch pipeline: what happens to one claimed batch, in five steps.
 *
 *   admit    keep what this relay may publish now; give back the rest (a message already in flight in
 *            another batch of this relay, after its lease ran out; in ordered mode, a group that another
 *            batch of this relay carries).
 *   publish  one `transport.publish` call for the admitted messages; a throw makes them all `retry`.
 *   plan     the publish results become marks (`planMarks`: sent / retry at a backoff / dead / release
 *            behind a failed head of the group, the GroupGate rule).
 *   mark     one store call per kind, each tried a few times; the released followers last.
 *   recover  messages given back because their whole route failed are remembered; a route that took
 *            a message in this batch brings forward what this relay left waiting on it (RouteRecovery).
 *   report   per-message events, then `batch:published`.
 *
 * A mark that keeps failing is written again once the store answers (the next successful claim); until
 * then its messages stay leased, and if the lease (`leaseMs`) runs out first they are claimed and
 * published again. Delivery stays at least once.
 */

/** A probe's wake-up comes this long after its delay, so the store's clock has passed its `available_at`. */
const PROBE_WAKE_MARGIN_MS = 50;

/** Writes kept to be written again at most (each a store call for one batch's marks of one kind). */
const MAX_UNWRITTEN = 1_000;

/** A failed mark is tried this many times in all, 100 ms then 300 ms apart (±50 %). */
const MARK_TRIES = 3;
const MARK_BACKOFF = { initialIntervalMs: 100, backoffCoefficient: 3, maxIntervalMs: 2_000, jitter: 0.5 };

/** What the pipeline needs from its relay. */
export interface BatchPipelineContext {
  relayId: string;
  options: ResolvedRelayOptions;
  events: SafeEmitter<RelayEvents>;
  /** Whether `stop()` began: a batch claimed now is given back, not published. */
  isStopping: () => boolean;
  /** Reports a failed store or transport call (`relay:error`). */
  fail: (stage: RelayErrorStage, error: unknown) => void;
  /** Logs an error that is a bug, not an outage. */
  logError: (message: string, context: Record<string, unknown>) => void;
  /** Wakes the claim loop: released messages can go out now. */
  wake: () => void;
  /** The relay's blocked routes: told every publish's results, asked how long a blocked route waits. */
  routes: RouteGate;
  /** What this relay left waiting on a route, to bring forward when it works again. */
  recovery: RouteRecovery;
}

/** A claimed batch split by {@link BatchPipeline.admit}: `batch` is registered in flight. */
interface Admitted {
  claimed: OutboxMessage[];
  batch: OutboxMessage[];
  givenBack: OutboxMessage[];
  ownGroups: Set<string>;
}

/** admit → publish → plan → mark → report, for each claimed batch of one relay. */
export class BatchPipeline {
  /** Ordered mode: groups carried by a batch of this relay that is being published. */
  private readonly groupsInFlight = new Set<string>();
  /** Ids of the messages in the batches of this relay that are being published. */
  private readonly idsInFlight = new Set<string>();
  /** Writes that failed all their tries, oldest first (see writeAgain). */
  private readonly unwritten: Array<{ write: () => Promise<number>; failedAt: number }> = [];
  private writingAgain: Promise<void> | undefined;

  constructor(private readonly ctx: BatchPipelineContext) {}

  /**
   * Takes a claimed batch: gives it back if the relay is stopping (the transport is being closed),
   * else admits it and runs the rest of the pipeline. `done` never rejects.
   */
  dispatch(claimed: OutboxMessage[]): Dispatched & { done: Promise<RelayRunCounts> } {
    if (this.ctx.isStopping()) {
      const notOurs = claimed.filter((m) => !this.idsInFlight.has(m.id));
      return { publishing: 0, done: this.giveBack(notOurs).then(() => ({ claimed: 0, sent: 0, retried: 0, dead: 0 })) };
    }
    const admitted = this.admit(claimed);
    return { publishing: admitted.batch.length, done: this.run(admitted) };
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
    const { ordered } = this.ctx.options;
    const batch: OutboxMessage[] = [];
    const givenBack: OutboxMessage[] = [];
    for (const m of claimed) {
      if (this.idsInFlight.has(m.id)) continue;
      if (ordered && m.groupKey !== null && this.groupsInFlight.has(m.groupKey)) givenBack.push(m);
      else batch.push(m);
    }
    const ownGroups = new Set(ordered ? batch.flatMap((m) => (m.groupKey === null ? [] : [m.groupKey])) : []);
    for (const g of ownGroups) this.groupsInFlight.add(g);
    for (const m of batch) this.idsInFlight.add(m.id);
    return { claimed, batch, givenBack, ownGroups };
  }

  /** publish → plan → mark → report for one admitted batch. Never rejects. */
  private async run({ claimed, batch, givenBack, ownGroups }: Admitted): Promise<RelayRunCounts> {
    const counts: RelayRunCounts = { claimed: claimed.length, sent: 0, retried: claimed.length - batch.length, dead: 0 };
    await this.giveBack(givenBack);
    try {
      if (batch.length === 0) return counts;
      const publishStarted = performance.now();
      const results = await this.publish(batch);
      const publishMs = performance.now() - publishStarted;
      const plan = this.plan(batch, results);
      const sentMarked = await this.mark(plan);
      await this.recover(plan, results);
      this.report(plan, sentMarked, publishMs);
      counts.sent += plan.sent.length;
      counts.retried += plan.retry.length + plan.release.length;
      counts.dead += plan.dead.length;
      return counts;
    } catch (error) {
      // Only a bug gets here (publish and marks catch their own errors); the leases will run out.
      this.ctx.logError(`Relay ${this.ctx.relayId}: unexpected error in a batch`, { error });
      return counts;
    } finally {
      for (const g of ownGroups) this.groupsInFlight.delete(g);
      for (const m of batch) this.idsInFlight.delete(m.id);
    }
  }

  /**
   * The batch's one publish call. A transport that throws leaves every message of the call to retry.
   * A batch never outlives its lease: the whole publish (every broker batch, every SDK retry) gets a
   * deadline of `leaseMs` minus the time its marks may take (`MARK_TRIES` × `storeTimeoutMs`, at most
   * half the lease). The transport gets it as an AbortSignal and stops sending; if it does not stop, the
   * relay stops waiting all the same and marks the batch `retry`. So the marks land while the lease is
   * still this relay's, and no other relay publishes the batch again meanwhile. (Renewing the lease was
   * the alternative: it needs a store call per batch in flight, and still no bound on a stuck publish.)
   */
  private async publish(batch: OutboxMessage[]): Promise<Map<string, PublishResult>> {
    const { transport, ordered, leaseMs, storeTimeoutMs } = this.ctx.options;
    const budgetMs = Math.max(1, leaseMs - Math.min(MARK_TRIES * storeTimeoutMs, leaseMs / 2));
    const controller = new AbortController();
    // Every call of the batch (a transport sends its broker batches concurrently) listens on this one
    // signal, and all of them end with the batch: Node's default of 10 listeners would warn of a leak.
    setMaxListeners(Infinity, controller.signal);
    try {
      const results = await withDeadline('publish', budgetMs, transport.publish(batch, { ordered, signal: controller.signal }), () => {
        const error = new PublishDeadlineError(budgetMs, leaseMs);
        controller.abort(error);
        return error;
      });
      return new Map(results.map((r) => [r.id, r]));
    } catch (error) {
      this.ctx.fail('publish', error);
      const text = errorText(error);
      return new Map(batch.map((m) => [m.id, { id: m.id, status: 'retry', error: text }]));
    }
  }

  /** Where publish results become marks (after the route gate has seen them, so a blocked route's backoff is current). */
  private plan(batch: OutboxMessage[], results: ReadonlyMap<string, PublishResult>): MarkPlan {
    const { retry, ordered } = this.ctx.options;
    const { routes } = this.ctx;
    routes.observe(results.values());
    return planMarks(batch, results, { policy: retry, ordered, blockedDelayMs: (route) => routes.delayMs(route), probeDelayMs: (route) => routes.takeProbe(route) });
  }

  /**
   * Remembers what this batch left waiting on a failed route, then brings forward (the store's
   * `resume`) what waits on each route that took a message in it, and wakes the claim loop for them;
   * also wakes it when a probe comes due. A retried message is remembered only when its route took
   * none of the batch (the route failed, not one call or entry); a released one always.
   */
  private async recover(plan: MarkPlan, results: ReadonlyMap<string, PublishResult>): Promise<void> {
    const { recovery } = this.ctx;
    const worked = new Set<string>();
    for (const r of results.values()) {
      if (r.status !== 'sent') continue;
      if (r.route !== undefined) worked.add(r.route);
      for (const via of r.via ?? []) worked.add(via);
    }
    for (const r of plan.release) if (r.route !== undefined) recovery.wait(r.route, 'released', [r.message.id]);
    for (const r of plan.retry) if (r.route !== undefined && !worked.has(r.route)) recovery.wait(r.route, 'retried', [r.message.id]);
    const probe = plan.release.find((r) => r.probe);
    if (probe) setTimeout(() => this.ctx.wake(), probe.delayMs + PROBE_WAKE_MARGIN_MS).unref();
    const { store } = this.ctx.options;
    if (!store.resume) return;
    for (const route of worked) {
      const ids = recovery.recovered(route);
      if (ids.length > 0 && (await this.write(() => store.resume!(ids)))) this.ctx.wake();
    }
  }

  /**
   * On stop: brings forward what this relay held back for blocked routes (the next relay decides with
   * its own routes). One try within the store deadline: the holds run out by themselves anyway.
   */
  async resumeReleased(): Promise<void> {
    const ids = this.ctx.recovery.takeReleased();
    const { store, storeTimeoutMs } = this.ctx.options;
    if (ids.length > 0 && store.resume) await withDeadline('resume', storeTimeoutMs, store.resume(ids)).catch(() => {});
  }

  /**
   * Writes the plan back; resolves whether the sent mark succeeded. Held-back messages are released
   * only after their heads were marked, so the store sees every such group blocked by its head (backing
   * off, dead, or still leased if that mark failed) throughout; each group's held-back messages go back
   * together in the one release call.
   */
  private async mark(plan: MarkPlan): Promise<boolean> {
    const { store } = this.ctx.options;
    const id = this.ctx.relayId;
    const [sentMarked] = await Promise.all([
      plan.sent.length === 0 || this.write(() => store.markSent(id, plan.sent.map((m) => m.id))),
      plan.retry.length > 0 && this.write(() => store.markRetry(id, plan.retry.map((r) => ({ id: r.message.id, delayMs: r.delayMs, error: r.error })))),
      plan.dead.length > 0 && this.write(() => store.markDead(id, plan.dead.map((d) => ({ id: d.message.id, error: d.error })))),
    ]);
    // One release call per delay and error. A group's held-back messages share their head's (and a
    // blocked head goes in the same call), so each group still goes back together.
    const releases = new Map<string, ReleasePlan[]>();
    for (const r of plan.release) {
      const key = `${r.delayMs}\u0000${r.error}`;
      const list = releases.get(key);
      if (list) list.push(r);
      else releases.set(key, [r]);
    }
    for (const list of releases.values()) {
      const { delayMs, error } = list[0]!;
      await this.write(() => store.release(id, list.map((r) => r.message.id), { delayMs, error }));
    }
    return sentMarked;
  }

  /**
   * Runs one store write, trying it again a couple of times. If it still fails it is kept, to be written
   * again once the store answers (see {@link writeAgain}); meanwhile its messages stay leased, and if
   * the lease runs out first they are claimed and published again (at least once). Resolves whether it
   * succeeded.
   */
  private async write(write: () => Promise<number>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await withDeadline('mark', this.ctx.options.storeTimeoutMs, write());
        return true;
      } catch (error) {
        if (attempt >= MARK_TRIES) {
          this.ctx.fail('mark', error);
          this.unwritten.push({ write, failedAt: Date.now() });
          if (this.unwritten.length > MAX_UNWRITTEN) this.unwritten.shift();
          return false;
        }
        await sleep(computeBackoff(attempt, MARK_BACKOFF));
      }
    }
  }

  /** Whether some write failed all its tries and waits to be written again. */
  get hasUnwritten(): boolean {
    return this.unwritten.length > 0;
  }

  /**
   * Writes again, once each, the writes that failed all their tries (a database restart or failover
   * that outlasted them), now that the store answers: a published batch whose sent mark was lost is
   * marked instead of being published again when its lease runs out. Marks are fenced by `locked_by`,
   * so one whose lease was taken over meanwhile changes nothing. Those older than twice the lease are
   * dropped. The first that fails again ends the call (the store is still away: one deadline at most),
   * it and the rest kept for the next. One call at a time; never rejects.
   */
  writeAgain(): Promise<void> {
    this.writingAgain ??= (async () => {
      const { leaseMs, storeTimeoutMs } = this.ctx.options;
      const due = this.unwritten.splice(0).filter((w) => Date.now() - w.failedAt < 2 * leaseMs);
      while (due.length > 0) {
        const ok = await withDeadline('mark', storeTimeoutMs, due[0]!.write()).then(() => true, () => false);
        if (!ok) break;
        due.shift();
      }
      this.unwritten.unshift(...due);
    })().finally(() => (this.writingAgain = undefined));
    return this.writingAgain;
  }

  private async giveBack(messages: OutboxMessage[]): Promise<void> {
    const { store } = this.ctx.options;
    if (messages.length > 0) await this.write(() => store.release(this.ctx.relayId, messages.map((m) => m.id)));
  }

  /** Per-message events (skipped, no payloads built, for events nobody listens to), then `batch:published`. */
  private report(plan: MarkPlan, sentMarked: boolean, publishMs: number): void {
    const { events } = this.ctx;
    if (sentMarked && events.hasListeners('message:published')) {
      for (const message of plan.sent) events.emit('message:published', { message });
    }
    if (events.hasListeners('message:failed')) {
      // availableAt by this process's clock, for listeners only: the store computed its own.
      const now = Date.now();
      for (const { message, delayMs, error } of plan.retry) {
        events.emit('message:failed', { message, error, willRetry: true, availableAt: new Date(now + delayMs) });
      }
      for (const { message, delayMs, error, blockedRoute } of plan.release) {
        events.emit('message:failed', { message, error, willRetry: true, availableAt: new Date(now + delayMs), ...(blockedRoute === undefined ? {} : { blockedRoute }) });
      }
      for (const { message, error } of plan.dead) events.emit('message:failed', { message, error, willRetry: false, availableAt: null });
    }
    if (events.hasListeners('message:dead')) {
      for (const { message, error } of plan.dead) events.emit('message:dead', { message, error });
    }
    const retried = plan.retry.length + plan.release.length;
    events.emit('batch:published', { count: plan.sent.length + retried + plan.dead.length, sent: plan.sent.length, retried, dead: plan.dead.length, publishMs });
    // Messages released behind a dead head can go out at once.
    if (plan.release.some((r) => r.delayMs === 0)) this.ctx.wake();
  }
}
