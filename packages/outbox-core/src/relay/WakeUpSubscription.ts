import type { OutboxStore } from '../OutboxStore.js';
import { computeBackoff } from './computeBackoff.js';
import { errorText } from './errorText.js';
import type { RelayErrorStage, RelayEvents } from './RelayEvents.js';
import type { SafeEmitter } from './SafeEmitter.js';
import { withDeadline } from './withDeadline.js';

/** Retry of a failed wake-up subscription (database down at start): 1 s doubling to 30 s, ±50 %. */
const SUBSCRIBE_BACKOFF = { initialIntervalMs: 1_000, backoffCoefficient: 2, maxIntervalMs: 30_000, jitter: 0.5 };

/** What the subscription needs from its relay. */
export interface WakeUpSubscriptionContext {
  relayId: string;
  store: OutboxStore;
  pollIntervalMs: number;
  /**
   * Deadline of subscribing and of giving the subscription back: neither `start()` nor `stop()` may
   * wait on a connection gone silent. Also passed to the store (`WakeUpMonitor.timeoutMs`) so it drops
   * that connection rather than keep it checked out.
   */
  storeTimeoutMs: number;
  events: SafeEmitter<RelayEvents>;
  /** Wakes the claim loop. */
  wake: () => void;
  /** Whether the relay runs; a subscription that comes back after `stop()` began is given straight back. */
  isRunning: () => boolean;
  fail: (stage: RelayErrorStage, error: unknown) => void;
  log: (level: 'info' | 'warn', message: string, context: Record<string, unknown>) => void;
}

/**
 * The relay's side of the store's wake-up (PostgreSQL: LISTEN/NOTIFY). A latency hint only: the claim
 * loop polls either way.
 *
 * One owner per subscription: until `store.subscribe()` resolves, this class retries it with a growing
 * delay (say the database is down at start); once it resolved the store owns the connection, reconnects
 * by itself and reports through the monitor: `error` (connection lost, reconnect failed) becomes
 * `relay:error` with stage `subscribe`; `lost` / `restored` become `wakeup:lost` / `wakeup:restored`.
 */
export class WakeUpSubscription {
  private unsubscribe: (() => Promise<void>) | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: WakeUpSubscriptionContext) {}

  /** Subscribes if the store has a wake-up. Never rejects: a failure is reported and retried. */
  async start(): Promise<void> {
    if (this.ctx.store.subscribe) await this.subscribe(0);
  }

  /** Stops retrying and gives the subscription back. */
  async stop(): Promise<void> {
    clearTimeout(this.retryTimer);
    if (!this.unsubscribe) return;
    try {
      await withDeadline('unsubscribe', this.ctx.storeTimeoutMs, this.unsubscribe());
    } catch (error) {
      this.ctx.fail('subscribe', error);
    }
  }

  private async subscribe(failures: number): Promise<void> {
    const { store, isRunning, fail, storeTimeoutMs } = this.ctx;
    if (!isRunning()) return;
    // Through a promise, so a store that throws at once is retried like one that rejects.
    const subscribing = Promise.resolve().then(() => store.subscribe!(() => this.ctx.wake(), {
      lost: (error) => this.lost(error),
      restored: () => this.restored(),
      error: (error) => fail('subscribe', error),
      timeoutMs: storeTimeoutMs,
    }));
    try {
      const unsubscribe = await withDeadline('subscribe', storeTimeoutMs, subscribing).catch((error: unknown) => {
        // Given up on: should it still succeed, it is not ours to keep (the retry subscribes anew).
        void subscribing.then((late) => late().catch(() => {}), () => {});
        throw error;
      });
      // stop() may have run while this retry was connecting: give the connection straight back.
      if (!isRunning() && this.retryTimer !== undefined) await unsubscribe();
      else this.unsubscribe = unsubscribe;
    } catch (error) {
      // stop() ran while this retry was connecting: no error to report, no new timer.
      if (!isRunning()) return;
      fail('subscribe', error);
      this.retryTimer = setTimeout(() => void this.subscribe(failures + 1), computeBackoff(failures + 1, SUBSCRIBE_BACKOFF));
      this.retryTimer.unref();
    }
  }

  /** The store noticed its wake-ups stopped arriving: one warning, the relay keeps polling. */
  private lost(error: Error): void {
    const { relayId, pollIntervalMs, events } = this.ctx;
    if (!this.ctx.isRunning()) return;
    this.ctx.log('warn', `Relay ${relayId}: wake-ups lost, polling every ${pollIntervalMs} ms until they are back: ${errorText(error)}`, {
      stage: 'wakeup',
      error,
    });
    events.emit('relay:error', { stage: 'wakeup', error });
    events.emit('wakeup:lost', { relayId, error });
  }

  private restored(): void {
    const { relayId, events } = this.ctx;
    if (!this.ctx.isRunning()) return;
    this.ctx.log('info', `Relay ${relayId}: wake-ups arrive again; publishing on wake-up, not only on the poll`, { stage: 'wakeup' });
    events.emit('wakeup:restored', { relayId });
  }
}
