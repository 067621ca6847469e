import { checkDuration, computeBackoff, withDeadline } from '@tx-outbox/outbox-core/internal';
import { quoteIdentifier } from '../identifiers.js';
import { isProbe, type NotifyCheck } from './NotifyCheck.js';

/** What a pg `PoolClient` looks like to the listener (structural, so no pg import at runtime). */
export interface ListenClient {
  query(text: string): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  /** pg-pool: `release(true)` or `release(error)` destroys the connection instead of pooling it. */
  release(destroy?: boolean | Error): void;
}

export interface NotifyListenerOptions {
  /** Checks out a dedicated connection (pg `pool.connect()`); it is held for as long as we listen. */
  connect: () => Promise<ListenClient>;
  channel: string;
  /** Called on each notification, and after every reconnect (notifications may have been missed). */
  onWake: () => void;
  /** Called when the connection is lost, a reconnect fails, or `onWake` throws. Must not throw. */
  onError: (error: Error) => void;
  /** @defaultValue 250 */
  minReconnectDelayMs?: number;
  /**
   * The longest wait between two reconnects. Short, so wake-ups come back within seconds of the
   * database (after a restart or a failover); each try is one connection attempt with a deadline.
   * @defaultValue 2_000
   */
  maxReconnectDelayMs?: number;
  /**
   * How often the LISTEN connection is checked with `SELECT 1`. A half-open connection (peer gone
   * without a FIN or RST) delivers no notifications and no error; a check that fails, or that is
   * still unanswered at the next one, counts as a lost connection and reconnects.
   * @defaultValue 30_000
   */
  livenessIntervalMs?: number;
  /**
   * How long one connect + LISTEN (at start and on each reconnect) and the UNLISTEN at stop may take.
   * Past it the attempt fails with `StoreTimeoutError` and its connection is destroyed, not kept: a
   * database gone silent must hold neither `start()`, nor `stop()`, nor a pool connection.
   * @defaultValue 10_000 (the relay's default `storeTimeoutMs`)
   */
  timeoutMs?: number;
  /**
   * Checks that notifications really arrive on this connection; started after every successful
   * LISTEN, stopped when the connection goes. Probe payloads never wake, checked or not.
   */
  check?: NotifyCheck;
}

/**
 * LISTEN on one channel over a dedicated connection, reconnecting with jittered exponential backoff
 * when the connection drops. NOTIFY is only a latency hint: the relay keeps polling, so while this
 * is reconnecting nothing is lost, only slower.
 */
export class NotifyListener {
  readonly #options: NotifyListenerOptions;
  #stopped = false;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #close: (() => Promise<void>) | undefined;

  constructor(options: NotifyListenerOptions) {
    const { livenessIntervalMs, timeoutMs } = options;
    if (livenessIntervalMs !== undefined) checkDuration('livenessIntervalMs', livenessIntervalMs, { min: 1 });
    if (timeoutMs !== undefined) checkDuration('timeoutMs', timeoutMs, { min: 1 });
    this.#options = options;
  }

  /** Connects and LISTENs. Rejects if the first attempt fails (a wrong URL should not go unnoticed). */
  async start(): Promise<void> {
    await this.#listen();
  }

  /** Stops reconnecting, UNLISTENs and gives the connection back to the pool. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    const close = this.#close;
    this.#close = undefined;
    await close?.();
  }

  async #listen(): Promise<void> {
    const { channel, livenessIntervalMs = 30_000 } = this.#options;
    const timeoutMs = this.#timeoutMs;
    const client = await this.#connect();
    let gone = false;
    let liveness: NodeJS.Timeout | undefined;
    const onNotification = (message: { channel?: string; payload?: string }) => {
      if (message.channel !== channel) return;
      const payload = message.payload ?? '';
      if (isProbe(payload)) this.#options.check?.heard(payload);
      else this.#wake();
    };
    const detach = (destroy: boolean | Error) => {
      if (gone) return false;
      gone = true;
      clearInterval(liveness);
      this.#options.check?.stop();
      client.removeListener('notification', onNotification);
      client.removeListener('end', onEnd);
      // A pooled client gets the pool's own idle 'error' listener back, so ours must go (else it piles
      // up on every subscribe/unsubscribe). A destroyed one keeps it: a late error event on a client
      // with no listener would crash the process.
      if (destroy === false) client.removeListener('error', onError);
      client.release(destroy);
      return true;
    };
    const onLost = (error: Error) => {
      const wasCurrent = this.#close === close;
      if (!detach(error) || !wasCurrent) return;
      this.#close = undefined;
      if (this.#stopped) return;
      this.#options.onError(new Error(`LISTEN connection on "${channel}" lost: ${error.message}`, { cause: error }));
      this.#scheduleReconnect();
    };
    const onError = (error: Error) => onLost(error);
    const onEnd = () => onLost(new Error('connection ended'));
    const close = async () => {
      if (gone) return;
      // No liveness check may start now: it would still be running when the pool hands the
      // connection to someone else (one already sent is answered before UNLISTEN, in order).
      clearInterval(liveness);
      try {
        await withDeadline('UNLISTEN', timeoutMs, client.query('UNLISTEN *'));
      } catch (error) {
        // Unanswered or failed: the connection is not fit to go back to the pool.
        detach(error instanceof Error ? error : true);
        return;
      }
      detach(false);
    };
    client.on('error', onError);
    client.on('end', onEnd);
    client.on('notification', onNotification);
    try {
      await withDeadline('LISTEN', timeoutMs, client.query(`LISTEN ${quoteIdentifier('notify channel', channel)}`));
    } catch (error) {
      detach(error instanceof Error ? error : true);
      throw error;
    }
    if (gone) throw new Error(`LISTEN connection on "${channel}" was lost while starting`);
    // Only now does a lost connection mean "reconnect"; before, the caller sees the rejection.
    this.#close = close;
    let checking = false;
    liveness = setInterval(() => {
      if (checking) return onLost(new Error(`liveness check (SELECT 1) got no answer within ${livenessIntervalMs} ms`));
      checking = true;
      client.query('SELECT 1').then(
        () => (checking = false),
        (error: unknown) => onLost(error instanceof Error ? error : new Error(String(error))),
      );
    }, livenessIntervalMs);
    liveness.unref();
    this.#options.check?.start();
    if (this.#stopped) await this.stop();
  }

  get #timeoutMs(): number {
    return this.#options.timeoutMs ?? 10_000;
  }

  /** Checks out the LISTEN connection within the deadline; one that arrives after it is destroyed. */
  async #connect(): Promise<ListenClient> {
    const connecting = this.#options.connect();
    try {
      return await withDeadline('LISTEN connect', this.#timeoutMs, connecting);
    } catch (error) {
      void connecting.then((late) => late.release(true), () => {});
      throw error;
    }
  }

  #scheduleReconnect(): void {
    const { minReconnectDelayMs = 250, maxReconnectDelayMs = 2_000 } = this.#options;
    // ±50 % jitter: many relays losing the database at once do not all come back in the same millisecond.
    this.#failures += 1;
    const delay = computeBackoff(this.#failures, {
      initialIntervalMs: minReconnectDelayMs,
      backoffCoefficient: 2,
      maxIntervalMs: maxReconnectDelayMs,
      jitter: 0.5,
    });
    this.#timer = setTimeout(() => void this.#reconnect(), delay);
    this.#timer.unref();
  }

  async #reconnect(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#listen();
    } catch (error) {
      if (this.#stopped) return;
      this.#options.onError(new Error(`LISTEN reconnect on "${this.#options.channel}" failed: ${(error as Error).message}`, { cause: error }));
      this.#scheduleReconnect();
      return;
    }
    this.#failures = 0;
    if (!this.#stopped) this.#wake();
  }

  #wake(): void {
    try {
      this.#options.onWake();
    } catch (error) {
      this.#options.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
