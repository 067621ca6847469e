import { OutboxError } from '../errors.js';
import type { OutboxMessage } from '../OutboxMessage.js';
import { BatchPipeline } from './BatchPipeline.js';
import { ClaimLoop } from './ClaimLoop.js';
import { errorText } from './errorText.js';
import type { RelayErrorStage, RelayEvents } from './RelayEvents.js';
import type { RelayOptions, ResolvedRelayOptions } from './RelayOptions.js';
import type { RelayRunCounts } from './RelayRunCounts.js';
import { resolveRelayOptions } from './resolveRelayOptions.js';
import { RouteGate, type BlockedRoute } from './RouteGate.js';
import { RouteRecovery } from './RouteRecovery.js';
import { StoreOutage } from './StoreOutage.js';
import { SafeEmitter } from './SafeEmitter.js';
import { withDeadline } from './withDeadline.js';
import { WakeUpSubscription } from './WakeUpSubscription.js';

export type { RelayRunCounts } from './RelayRunCounts.js';

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
  /** When to claim: ClaimLoop.ts. */
  private readonly loop: ClaimLoop;
  /** What happens to a claimed batch: BatchPipeline.ts. */
  private readonly pipeline: BatchPipeline;
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  /** The store's wake-up: WakeUpSubscription.ts. */
  private readonly wakeUps: WakeUpSubscription;
  private statsTimer: NodeJS.Timeout | undefined;
  private statsBusy = false;
  /** Routes the transport reported blocked, with their backoff: RouteGate.ts. */
  private readonly routes: RouteGate;
  private routeTimer: NodeJS.Timeout | undefined;
  /** Whether claims are failing now, so an outage is said once and its end once: StoreOutage.ts. */
  private readonly outage = new StoreOutage();

  /** @throws InvalidOptionError naming the option and the expected value. */
  constructor(options: RelayOptions) {
    this.options = resolveRelayOptions(options);
    this.relayId = this.options.relayId;
    this.events = new SafeEmitter<RelayEvents>(this.options.logger);
    this.routes = new RouteGate({
      relayId: this.relayId,
      events: this.events,
      log: (level, message, context) => this.safeLog(level, message, context),
      staleAfterMs: this.options.leaseMs,
    });
    this.pipeline = new BatchPipeline({
      relayId: this.relayId,
      options: this.options,
      events: this.events,
      isStopping: () => this.state === 'stopping' || this.state === 'stopped',
      fail: (stage, error) => this.fail(stage, error),
      logError: (message, context) => this.safeLog('error', message, context),
      wake: () => this.loop.wake(),
      routes: this.routes,
      recovery: new RouteRecovery(),
    });
    const { batchSize, maxInFlight, pollIntervalMs } = this.options;
    this.loop = new ClaimLoop({
      batchSize,
      maxInFlight,
      pollIntervalMs,
      claim: () => this.claim(),
      dispatch: (claimed) => this.pipeline.dispatch(claimed),
      onClaimError: (error) => this.fail('claim', error),
    });
    this.wakeUps = new WakeUpSubscription({
      relayId: this.relayId,
      store: this.options.store,
      pollIntervalMs,
      storeTimeoutMs: this.options.storeTimeoutMs,
      events: this.events,
      wake: () => this.loop.wake(),
      isRunning: () => this.state === 'running',
      fail: (stage, error) => this.fail(stage, error),
      log: (level, message, context) => this.safeLog(level, message, context),
    });
  }

  /** Subscribes to an event; returns a function that unsubscribes. A throwing listener is logged, never fatal. */
  on<E extends keyof RelayEvents>(event: E, listener: (payload: RelayEvents[E]) => void | Promise<void>): () => void {
    return this.events.on(event, listener);
  }

  off<E extends keyof RelayEvents>(event: E, listener: (payload: RelayEvents[E]) => void | Promise<void>): void {
    this.events.off(event, listener);
  }

  /** The routes blocked now (see the `route:blocked` event), for readiness probes and status pages. */
  get blockedRoutes(): BlockedRoute[] {
    return this.routes.list();
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
    // Tracked from the claim on: stop() waits for it, so it never closes the transport under it.
    return this.loop.track(this.claim().then((claimed) => this.pipeline.dispatch(claimed).done));
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
    const { statsIntervalMs } = this.options;
    await this.wakeUps.start();
    if (statsIntervalMs > 0) {
      this.statsTimer = setInterval(() => void this.emitBacklog(), statsIntervalMs);
      this.statsTimer.unref();
    }
    this.routeTimer = setInterval(() => this.routes.sweepStale(), 1_000);
    this.routeTimer.unref();
    this.openTransport();
    this.loop.start();
    this.events.emit('relay:started', { relayId: this.relayId });
  }

  /**
   * Lets the transport look at its routes (Transport.open): what it finds blocked goes through the route
   * gate like a blocked publish, and it logs through the relay's logger. Not awaited: a slow or
   * unreachable broker never holds up the start.
   */
  private openTransport(): void {
    const { transport } = this.options;
    if (!transport.open) return;
    const safe = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, context?: Record<string, unknown>) => this.safeLog(level, message, context ?? {});
    try {
      transport.open({
        logger: { debug: safe('debug'), info: safe('info'), warn: safe('warn'), error: safe('error') },
        blockRoute: (block) => {
          if (this.state === 'running') this.routes.report(block);
        },
      });
    } catch (error) {
      this.safeLog('warn', `Relay ${this.relayId}: the transport's open() threw: ${errorText(error)}`, { error });
    }
  }

  private async end(): Promise<void> {
    await this.starting?.catch(() => {});
    this.state = 'stopping';
    clearInterval(this.statsTimer);
    clearInterval(this.routeTimer);
    this.routes.stop();
    await this.loop.stop();
    await this.loop.settled();
    if (this.pipeline.hasUnwritten) await this.pipeline.writeAgain();
    await this.pipeline.resumeReleased();
    await this.wakeUps.stop();
    try {
      await this.options.transport.close?.();
    } catch (error) {
      this.safeLog('warn', `Relay ${this.relayId}: closing the transport failed`, { error });
    }
    this.state = 'stopped';
    this.events.emit('relay:stopped', { relayId: this.relayId });
  }

  private async claim(): Promise<OutboxMessage[]> {
    const { store, batchSize, leaseMs, ordered, storeTimeoutMs } = this.options;
    const started = performance.now();
    const claimed = await withDeadline('claim', storeTimeoutMs, store.claim({ relayId: this.relayId, limit: batchSize, leaseMs, ordered }));
    // Marks the store refused while it was away (a restart, a failover): written now, while their leases are still ours.
    if (this.pipeline.hasUnwritten) void this.pipeline.writeAgain();
    const ended = this.outage.succeeded();
    if (ended) {
      this.safeLog('info', `Relay ${this.relayId}: the store answers again after ${(ended.durationMs / 1000).toFixed(1)} s (${ended.failures} ${ended.failures === 1 ? 'claim' : 'claims'} failed)`, {
        stage: 'claim',
        outageMs: ended.durationMs,
        failedClaims: ended.failures,
      });
    }
    this.events.emit('batch:claimed', { count: claimed.length, durationMs: performance.now() - started });
    return claimed;
  }

  private async emitBacklog(): Promise<void> {
    if (this.statsBusy) return;
    this.statsBusy = true;
    try {
      this.events.emit('relay:backlog', await withDeadline('stats', this.options.storeTimeoutMs, this.options.store.stats()));
    } catch (error) {
      this.fail('stats', error);
    } finally {
      this.statsBusy = false;
    }
  }

  /**
   * Reports a failed store or transport call: `relay:error` every time, a warning once per outage. While
   * claims fail (the store is down or unreachable) the first claim failure is a warning, and the rest of
   * the outage's store failures (claims, marks, stats, LISTEN) are debug lines, until a claim succeeds
   * and one line says the store is back.
   */
  private fail(stage: RelayErrorStage, error: unknown): void {
    const first = stage === 'claim' && this.outage.failed();
    const quiet = !first && this.outage.open && stage !== 'publish';
    const more = first ? '; retrying on a short cadence; further store errors are logged at debug level until it answers again' : '';
    this.safeLog(quiet ? 'debug' : 'warn', `Relay ${this.relayId}: ${stage} failed: ${errorText(error)}${more}`, { stage, error });
    this.events.emit('relay:error', { stage, error });
  }

  /** A logger that throws must never stop the loop or reject a batch. */
  private safeLog(level: 'debug' | 'info' | 'warn' | 'error', message: string, context: Record<string, unknown>): void {
    try {
      this.options.logger[level](message, context);
    } catch {
      // Nowhere left to report it.
    }
  }
}
