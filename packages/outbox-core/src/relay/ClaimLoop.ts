import type { OutboxMessage } from '../OutboxMessage.js';
import { Broadcast } from './Broadcast.js';
import { computeBackoff } from './computeBackoff.js';
import { WakeSignal } from './WakeSignal.js';

/*
 * The claim loop: when to claim, and nothing else. It knows two verbs, "claim" (ask the store for a
 * claimed batch) and "dispatch" (hand it to the batch pipeline, BatchPipeline.ts); what happens to a
 * batch after that is not its business.
 *
 * Up to MAX_PARALLEL_CLAIMS claimers run at once. Claimer 0 is the primary; the others are extras.
 * Each claimer is always in one of these modes:
 *
 *   claiming     one `claim()` in flight. Claims plus batches in flight never exceed `maxInFlight`.
 *   at capacity  `maxInFlight` batches (and claims) in flight: waits until one of them finishes.
 *   idle         primary only: the last claim brought nothing new to publish, so it sleeps until a
 *                wake-up (the store's NOTIFY, a release that can go out now, stop) or `pollIntervalMs`.
 *                A short claim is no sign the backlog is gone (the ordered claim filters after its
 *                LIMIT), so the primary claims again at once after any claim that dispatched something.
 *   backing off  primary only: the claim failed (store down). Sleeps `computeBackoff(failures,
 *                STORE_ERROR_BACKOFF)`, cut short by a wake-up, then claims again.
 *   parked       extras only: the backlog is short (the last claim was not full) or a claim failed.
 *                Wait until a claim comes back full ("deep backlog"), so an idle relay polls with one
 *                query per interval, not one per claimer.
 *   stopped      `stop()` was called: the claimer leaves after its current step. A batch claimed
 *                meanwhile is still dispatched: the pipeline gives it back when the relay is stopping.
 */

/** Claims a relay runs at once while its batches come back full. */
export const MAX_PARALLEL_CLAIMS = 4;

/**
 * Backoff after a failed claim (store down): 100 ms doubling to 1 s, ±20 %. Short, so a store that is
 * back (a restart, a failover, a partition that ended) is found within about a second; each try is
 * bounded by the store deadline, so a silent store is tried again every deadline plus a second.
 */
export const STORE_ERROR_BACKOFF = { initialIntervalMs: 100, backoffCoefficient: 2, maxIntervalMs: 1_000, jitter: 0.2 };

/** What the pipeline did with a claimed batch. */
export interface Dispatched {
  /** How many of its messages go to the broker now (0: nothing new, e.g. all given back). */
  publishing: number;
  /** Settles once the batch is published and marked (or given back). Never rejects. */
  done: Promise<unknown>;
}

/** What the loop needs from the relay. */
export interface ClaimLoopOptions {
  /** Messages per claim: a claim that brings this many means the backlog is deep. */
  batchSize: number;
  /** Claims and batches in flight at once. */
  maxInFlight: number;
  /** Longest idle sleep between claims, in ms. */
  pollIntervalMs: number;
  /** Takes one claimed batch from the store. */
  claim: () => Promise<OutboxMessage[]>;
  /** Hands a claimed batch to the pipeline. Synchronous up to the returned `done`. */
  dispatch: (claimed: OutboxMessage[]) => Dispatched;
  /** Reports a claim that failed; the loop backs off and claims again. */
  onClaimError: (error: unknown) => void;
}

/**
 * Runs the claimers (modes above), caps the work in flight, and keeps track of it so that the relay's
 * `stop()` can wait for it.
 *
 * @example
 * ```ts
 * const loop = new ClaimLoop({ batchSize, maxInFlight, pollIntervalMs, claim, dispatch, onClaimError });
 * loop.start();
 * store.subscribe?.(() => loop.wake());
 * await loop.stop(); // claimers have left
 * await loop.settled(); // every dispatched batch is marked
 * ```
 */
export class ClaimLoop {
  private readonly wakeSignal = new WakeSignal();
  /** Wakes the parked extra claimers when a claim comes back full. */
  private readonly deepBacklog = new Broadcast();
  private backlogDeep = false;
  private claiming = 0;
  private running = false;
  private claimers: Promise<void> = Promise.resolve();
  /** Tracked work, as promises that never reject. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: ClaimLoopOptions) {}

  /** Starts the claimers. */
  start(): void {
    this.running = true;
    const count = Math.max(1, Math.min(this.options.maxInFlight, MAX_PARALLEL_CLAIMS));
    this.claimers = Promise.all(Array.from({ length: count }, (_, i) => this.claimer(i === 0))).then(() => undefined);
  }

  /** Ends an idle sleep or a backoff now (or the next one, if none is running). */
  wake(): void {
    this.wakeSignal.wake();
  }

  /** Stops claiming; resolves once every claimer has left. Dispatched batches may still run: see {@link settled}. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeSignal.wake();
    this.deepBacklog.wakeAll();
    await this.claimers;
  }

  /** Counts `work` as in flight until it settles (against `maxInFlight`, and for {@link settled}); returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    const over = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(over);
    void over.then(() => this.inFlight.delete(over));
    return work;
  }

  /** Resolves once nothing tracked is in flight, including work tracked while waiting. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private async claimer(primary: boolean): Promise<void> {
    const { maxInFlight, batchSize, pollIntervalMs } = this.options;
    let failures = 0;
    while (this.running) {
      if (!primary && !this.backlogDeep) {
        await this.deepBacklog.wait(); // parked
        continue;
      }
      // Never empty here: the other claimers hold at most maxInFlight - 1 places.
      if (this.inFlight.size + this.claiming >= maxInFlight) {
        await Promise.race(this.inFlight); // at capacity
        continue;
      }
      let claimed: OutboxMessage[];
      this.claiming += 1;
      try {
        claimed = await this.options.claim();
        failures = 0;
      } catch (error) {
        this.backlogDeep = false;
        this.options.onClaimError(error);
        // Only the primary backs off and claims again; the extras park until the backlog is deep again.
        if (primary) await this.wakeSignal.wait(computeBackoff(++failures, STORE_ERROR_BACKOFF));
        continue;
      } finally {
        this.claiming -= 1;
      }
      const { publishing, done } = this.options.dispatch(claimed);
      void this.track(done);
      this.backlogDeep = this.running && claimed.length >= batchSize;
      if (this.backlogDeep) this.deepBacklog.wakeAll();
      else if (primary && publishing === 0 && this.running) await this.wakeSignal.wait(pollIntervalMs); // idle
    }
  }
}
