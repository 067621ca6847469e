import { randomUUID } from 'node:crypto';
import { NotificationsLostError } from './NotificationsLostError.js';

/** Payloads of probe notifications start with this (the publisher's are empty): never a wake-up. */
export const PROBE_PREFIX = 'tx-outbox-probe:';

/** Whether a notification payload is a probe, ours or another relay's. */
export function isProbe(payload: string): boolean {
  return payload.startsWith(PROBE_PREFIX);
}

export interface NotifyCheckOptions {
  channel: string;
  /** Sends `payload` as a notification on the channel, over another connection than the LISTEN one. */
  send: (payload: string) => Promise<void>;
  /** How often a probe is sent, in ms. */
  intervalMs: number;
  /** How long a sent probe may take to be heard before wake-ups count as lost, in ms. */
  timeoutMs: number;
  /** The first unheard probe of an outage. Must not throw. */
  onLost: (error: NotificationsLostError) => void;
  /** The first heard probe after an outage. Must not throw. */
  onRestored: () => void;
}

/**
 * Checks that notifications really arrive: sends a probe on the channel now and every `intervalMs`,
 * and expects the LISTEN connection to hear it within `timeoutMs`. A transaction-mode pooler lets
 * LISTEN (and any liveness query) succeed, then drops every notification; nothing else would notice.
 * A probe that could not be sent (database down) gives no verdict: the claims report that.
 */
export class NotifyCheck {
  readonly #options: NotifyCheckOptions;
  #lost = false;
  /** The latest probe sent or being sent. */
  #token: string | undefined;
  #interval: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;

  constructor(options: NotifyCheckOptions) {
    this.#options = options;
  }

  /** Whether wake-ups are currently lost. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Starts probing, at once and then every interval (after each successful LISTEN). Restarts if running. */
  start(): void {
    this.stop();
    this.#interval = setInterval(() => void this.#probe(), this.#options.intervalMs);
    this.#interval.unref();
    void this.#probe();
  }

  /** Stops probing and forgets the probe in flight: its connection is gone, so it proves nothing. */
  stop(): void {
    clearInterval(this.#interval);
    clearTimeout(this.#deadline);
    this.#interval = undefined;
    this.#deadline = undefined;
    this.#token = undefined;
  }

  /** Told every probe payload heard on the LISTEN connection; other relays' probes are ignored. */
  heard(payload: string): void {
    if (payload !== this.#token) return;
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
    this.#token = undefined;
    if (this.#lost) {
      this.#lost = false;
      this.#options.onRestored();
    }
  }

  async #probe(): Promise<void> {
    if (this.#deadline) return; // the previous probe still has time to arrive
    const token = `${PROBE_PREFIX}${randomUUID()}`;
    this.#token = token;
    try {
      await this.#options.send(token);
    } catch {
      if (this.#token === token) this.#token = undefined;
      return;
    }
    // Heard already, stopped, or superseded by a later probe (this send took a whole interval).
    if (this.#token !== token || this.#interval === undefined) return;
    this.#deadline = setTimeout(() => {
      // One more turn of the event loop: if this process was busy, the probe may be read but not yet
      // handled, and timers run before I/O callbacks.
      setImmediate(() => this.#verdict(token));
    }, this.#options.timeoutMs);
    this.#deadline.unref();
  }

  #verdict(token: string): void {
    if (this.#token !== token) return; // heard, or stopped meanwhile
    this.#deadline = undefined;
    if (this.#lost) return;
    this.#lost = true;
    this.#options.onLost(new NotificationsLostError(this.#options.channel, this.#options.timeoutMs));
  }
}
