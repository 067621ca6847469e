import type { BlockedScope, PublishResult, RouteBlock } from '../Transport.js';
import { computeBackoff } from './computeBackoff.js';
import { errorText } from './errorText.js';
import { withDeadline } from './withDeadline.js';
import type { RelayEvents } from './RelayEvents.js';
import type { SafeEmitter } from './SafeEmitter.js';

/** A route the transport reported blocked, as `Relay.blockedRoutes` lists it. */
export interface BlockedRoute {
  /** The route as the transport names it (topic ARN, queue URL, or the subject that has no route). */
  route: string;
  /** The error of the last blocked publish, e.g. `AuthorizationError: … (target arn:…)`. */
  error: string;
  /** The broker's error code (or `HTTP 403`), when the transport gave one. */
  code: string | undefined;
  /** When it was first reported blocked (process clock; for display only). */
  since: Date;
  /** How long its messages are held back after the last failure, in ms. */
  retryInMs: number;
  /** `transport` when every route of the transport waits on it (its credentials), else `route`. */
  scope: BlockedScope;
}

/** Backoff of a blocked route: its messages come back after 1 s, 2 s, 4 s … at most 30 s (±20 %). */
export const ROUTE_BACKOFF = { initialIntervalMs: 1_000, backoffCoefficient: 2, maxIntervalMs: 30_000, jitter: 0.2 };

/**
 * While a route is blocked, one of its messages comes back this soon (once per interval, per relay), as
 * the probe that finds it working again; the rest wait the route's backoff, and the relay brings them
 * forward when the probe (or any message of the route) goes out (RouteRecovery.ts).
 */
export const ROUTE_PROBE_INTERVAL_MS = 1_000;

/** Deadline of one recheck of a route a transport found blocked by itself (RouteBlock.recheck). */
const RECHECK_TIMEOUT_MS = 30_000;

interface RouteState {
  since: number;
  failures: number;
  error: string;
  code: string | undefined;
  delayMs: number;
  lastFailure: number;
  /** When `failures` last grew: the backoff grows once per elapsed backoff, not once per failed batch. */
  escalatedAt: number;
  scope: BlockedScope;
  /** When a probe of it was last given back (see ROUTE_PROBE_INTERVAL_MS). */
  probedAt: number;
  /** Set for a route the transport found blocked by itself: asked again once per backoff instead of expiring. */
  recheck?: RouteBlock['recheck'];
  rechecking?: boolean;
}

/** What a {@link RouteGate} reports through. */
export interface RouteGateContext {
  relayId: string;
  events: SafeEmitter<RelayEvents>;
  log: (level: 'info' | 'error', message: string, context: Record<string, unknown>) => void;
  /** A route not reported blocked for its backoff plus this long is taken as unblocked (the lease). */
  staleAfterMs: number;
  clock?: () => number;
}

/**
 * The relay's memory of blocked routes: one backoff per route (not per message; a blocked route never
 * uses up its messages' tries), each change said once and loudly (`route:blocked` with an error log
 * naming the route and the code, `route:unblocked`), and the way out: a message of the route is sent,
 * or the route is no longer reported blocked for its backoff plus `staleAfterMs` (its subject was
 * routed elsewhere, or nothing of it is left), or, for a route the transport found blocked by itself
 * (`report`), its recheck finds it working.
 *
 * Times here are process-clock intervals for this relay's own bookkeeping; nothing of it is stored.
 */
export class RouteGate {
  private readonly routes = new Map<string, RouteState>();
  private readonly clock: () => number;
  private stopped = false;

  constructor(private readonly ctx: RouteGateContext) {
    this.clock = ctx.clock ?? Date.now;
  }

  /**
   * Reads one publish's results: blocks the routes reported blocked, unblocks those a message went out
   * on. Call it before planning the marks, so blocked messages are held back for the new backoff.
   */
  observe(results: Iterable<PublishResult>): void {
    const blocked = new Map<string, { error: string; code: string | undefined; scope: BlockedScope }>();
    for (const r of results) {
      if (r.status === 'blocked') {
        if (!blocked.has(r.route)) blocked.set(r.route, { error: r.error, code: r.code, scope: r.scope ?? 'route' });
      } else if (r.status === 'sent' && this.routes.size > 0) {
        // A message sent proves its route works (and those it went through), and the transport too
        // (a transport-wide block lifts).
        for (const route of [...(r.route === undefined ? [] : [r.route]), ...(r.via ?? []), ...this.transportBlocks()]) {
          const blockedMs = this.unblock(route);
          if (blockedMs !== undefined) this.reportUnblocked(route, blockedMs, 'sent');
        }
      }
    }
    for (const [route, { error, code, scope }] of blocked) this.blockAndSay(route, error, code, scope);
  }

  /**
   * A route the transport found blocked without publishing (its target does not exist): blocked as a
   * publish result blocks it, then asked again with `block.recheck` once per backoff (RouteGate.sweepStale).
   */
  report(block: RouteBlock): void {
    this.blockAndSay(block.route, block.error, block.code, 'route');
    const state = this.routes.get(block.route);
    if (state) state.recheck = block.recheck;
  }

  /** Blocks `route` and, when it was not blocked before, says so once (an error log and `route:blocked`). */
  private blockAndSay(route: string, error: string, code: string | undefined, scope: BlockedScope): void {
    if (!this.block(route, error, code, scope)) return;
    const retryInMs = this.delayMs(route);
    const what =
      scope === 'transport'
        ? 'Every message of the transport waits without using a try and is tried again with a backoff until it works.'
        : 'Its messages wait without using a try and are tried again with a backoff; other routes keep flowing.';
    this.ctx.log('error', `Relay ${this.ctx.relayId}: route ${route} is blocked (${code ?? 'no code'}): ${error}. ${what}`, { route, code, error, scope });
    this.ctx.events.emit('route:blocked', { route, error, code, retryInMs });
  }

  /** The blocks that hold up the whole transport (its credentials), not one route. */
  private transportBlocks(): string[] {
    return [...this.routes].filter(([, s]) => s.scope === 'transport').map(([route]) => route);
  }

  /**
   * Unblocks the routes no longer seen failing (see the class comment), and rechecks those the
   * transport found blocked by itself whose backoff ran out. Run it now and then.
   */
  sweepStale(): void {
    for (const { route, blockedMs } of this.sweep()) this.reportUnblocked(route, blockedMs, 'not-seen');
    const now = this.clock();
    for (const [route, state] of this.routes) {
      if (state.recheck && !state.rechecking && now - state.lastFailure >= state.delayMs) void this.runRecheck(route, state);
    }
  }

  /** Stops rechecking (the relay stops): a recheck still running changes nothing when it ends. */
  stop(): void {
    this.stopped = true;
  }

  private async runRecheck(route: string, state: RouteState): Promise<void> {
    state.rechecking = true;
    let found: { error: string; code?: string } | undefined;
    try {
      found = await withDeadline('recheck', RECHECK_TIMEOUT_MS, state.recheck!());
    } catch (error) {
      found = { error: `the recheck failed: ${errorText(error)}`, code: state.code };
    }
    state.rechecking = false;
    // Unblocked meanwhile (a message of it went out), or the relay stopped: nothing to say.
    if (this.stopped || this.routes.get(route) !== state) return;
    if (found === undefined) {
      this.routes.delete(route);
      this.reportUnblocked(route, this.clock() - state.since, 'not-seen', 'its target answers again');
      return;
    }
    this.block(route, found.error, found.code, state.scope);
  }

  private reportUnblocked(route: string, blockedMs: number, reason: 'sent' | 'not-seen', detail?: string): void {
    const why = detail ?? (reason === 'sent' ? 'a message went out' : 'no longer seen failing');
    this.ctx.log('info', `Relay ${this.ctx.relayId}: route ${route} is no longer blocked (${why}) after ${blockedMs} ms.`, { route, blockedMs, reason });
    this.ctx.events.emit('route:unblocked', { route, blockedMs, reason });
  }

  /**
   * Records one batch's failure of `route`; returns whether the route was not blocked before. The
   * backoff grows only when a failure comes after the current backoff ran out (a retry of the route
   * failed): the batches already in flight when the route broke, or several relays' batches, fail
   * together and count as one, so a short outage does not push the route to the longest wait.
   */
  private block(route: string, error: string, code: string | undefined, scope: BlockedScope): boolean {
    const now = this.clock();
    const state = this.routes.get(route);
    if (state !== undefined && now - state.escalatedAt < state.delayMs) {
      this.routes.set(route, { ...state, error, code, lastFailure: now });
      return false;
    }
    const failures = (state?.failures ?? 0) + 1;
    const delayMs = computeBackoff(failures, ROUTE_BACKOFF);
    this.routes.set(route, {
      since: state?.since ?? now,
      failures,
      error,
      code,
      delayMs,
      lastFailure: now,
      escalatedAt: now,
      scope,
      probedAt: state?.probedAt ?? -Infinity,
      ...(state?.recheck ? { recheck: state.recheck, rechecking: state.rechecking } : {}),
    });
    return state === undefined;
  }

  /**
   * For one message of blocked `route` being given back: the probe's short delay if this relay gave no
   * probe of it back within {@link ROUTE_PROBE_INTERVAL_MS} (then counted as given), else undefined.
   */
  takeProbe(route: string): number | undefined {
    const state = this.routes.get(route);
    const now = this.clock();
    if (state === undefined || now - state.probedAt < ROUTE_PROBE_INTERVAL_MS) return undefined;
    state.probedAt = now;
    return ROUTE_PROBE_INTERVAL_MS;
  }

  /** How long `route`'s messages are held back now (0 when it is not blocked). */
  delayMs(route: string): number {
    return this.routes.get(route)?.delayMs ?? 0;
  }

  /** Forgets `route` (a message of it went out); returns how long it was blocked, or undefined if it was not. */
  private unblock(route: string): number | undefined {
    const state = this.routes.get(route);
    if (!state) return undefined;
    this.routes.delete(route);
    return this.clock() - state.since;
  }

  /** Forgets the routes not reported blocked for their backoff plus `staleAfterMs`; returns them with how long they were blocked. */
  private sweep(): { route: string; blockedMs: number }[] {
    const now = this.clock();
    const gone: { route: string; blockedMs: number }[] = [];
    for (const [route, state] of this.routes) {
      if (state.recheck === undefined && now - state.lastFailure > state.delayMs + this.ctx.staleAfterMs) {
        this.routes.delete(route);
        gone.push({ route, blockedMs: now - state.since });
      }
    }
    return gone;
  }

  get size(): number {
    return this.routes.size;
  }

  list(): BlockedRoute[] {
    return [...this.routes].map(([route, s]) => ({ route, error: s.error, code: s.code, since: new Date(s.since), retryInMs: s.delayMs, scope: s.scope }));
  }
}
