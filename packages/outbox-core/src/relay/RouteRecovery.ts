/**
 * How a message was left waiting on a route: `released` without using a try (its route was blocked, or
 * its group's head was), or `retried` with a try used (the whole route failed, say throttled).
 */
export type WaitKind = 'released' | 'retried';

/** Messages remembered at most (all routes): beyond it the oldest are forgotten and wait out their delay. */
export const MAX_WAITING_MESSAGES = 10_000;

/**
 * How often a route's retried messages may be brought forward. They used a try: under a route that
 * fails and works in turns, bringing them forward on every success would use their tries up at the
 * rate of the turns instead of their backoff. Released ones used none and always come.
 */
export const RETRIED_RESUME_COOLDOWN_MS = 10_000;

/**
 * The messages this relay gave back because their route failed, by route, so that the first message
 * the route takes again brings them forward (the store's `resume`): recovery then follows the route,
 * not each message's delay. Only this relay's own; another relay brings forward its own.
 *
 * Times here are process-clock intervals for this relay's own bookkeeping; nothing of it is stored.
 */
export class RouteRecovery {
  /** By id, in the order remembered: its route and how it waits. */
  private readonly waiting = new Map<string, { route: string; kind: WaitKind }>();
  private readonly lastRetriedResume = new Map<string, number>();
  private readonly clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  /** Remembers `ids`, given back because `route` failed. */
  wait(route: string, kind: WaitKind, ids: Iterable<string>): void {
    for (const id of ids) {
      this.waiting.delete(id); // re-remembered: now the newest
      this.waiting.set(id, { route, kind });
      if (this.waiting.size > MAX_WAITING_MESSAGES) this.waiting.delete(this.waiting.keys().next().value!);
    }
  }

  /**
   * `route` took a message: the ids to bring forward now, forgotten here. Released ones always; retried
   * ones at most once per {@link RETRIED_RESUME_COOLDOWN_MS} per route (kept for later otherwise).
   */
  recovered(route: string): string[] {
    const now = this.clock();
    const retriedToo = now - (this.lastRetriedResume.get(route) ?? -Infinity) >= RETRIED_RESUME_COOLDOWN_MS;
    const ids: string[] = [];
    let tookRetried = false;
    for (const [id, w] of this.waiting) {
      if (w.route !== route || (w.kind === 'retried' && !retriedToo)) continue;
      ids.push(id);
      tookRetried ||= w.kind === 'retried';
      this.waiting.delete(id);
    }
    if (tookRetried) this.lastRetriedResume.set(route, now);
    return ids;
  }

  /** On stop: the released ones of every route (this relay's view of the routes goes with it), forgotten here. */
  takeReleased(): string[] {
    const ids = [...this.waiting].filter(([, w]) => w.kind === 'released').map(([id]) => id);
    for (const id of ids) this.waiting.delete(id);
    return ids;
  }

  get size(): number {
    return this.waiting.size;
  }
}
