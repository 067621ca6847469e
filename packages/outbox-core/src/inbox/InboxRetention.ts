import { InvalidOptionError } from '../errors.js';
import { checkDuration, checkInteger } from '../options/optionChecks.js';
import type { InboxRotation, InboxStore } from '../InboxStore.js';

/** Options of {@link InboxRetention}. */
export interface InboxRetentionOptions {
  /** Time between the end of one purge and the start of the next. @defaultValue 60000 */
  intervalMs?: number;
  /** Records deleted per statement. @defaultValue 1000 */
  batchSize?: number;
  /** Told how many expired records each purge deleted (a metric counts them). Must not throw. */
  onPurged?: (count: number) => void;
  /**
   * Told what each run's `rotate` changed, for a store with time partitions (created, truncated and
   * dropped partitions; steps deferred to the next run). A failed step goes to `onError`. Must not throw.
   */
  onRotated?: (rotation: InboxRotation) => void;
  /** Told when a purge failed; the next one runs after `intervalMs` as usual. Must not throw. @defaultValue a process warning */
  onError?: (error: unknown) => void;
}

/**
 * Keeps the inbox from growing forever: every `intervalMs` it lets a store with time partitions
 * rotate them (`rotate`: partitions for the coming days, TRUNCATE and DROP of the expired ones), then
 * deletes the remaining expired records (`purgeExpired`), `batchSize` at a time, until a batch comes
 * back short. The next run is scheduled when the current one ends, so runs never overlap and each
 * holds one connection.
 *
 * @example
 * ```ts
 * const retention = new InboxRetention(inbox, { intervalMs: 60_000, onPurged: (n) => purged.inc(n) });
 * retention.start();
 * // on shutdown:
 * await retention.stop();
 * ```
 */
export class InboxRetention {
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly onPurged: (count: number) => void;
  private readonly onRotated: (rotation: InboxRotation) => void;
  private readonly onError: (error: unknown) => void;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<number> | undefined;
  private stopped = true;

  /** @throws InvalidOptionError naming the option. */
  constructor(
    private readonly store: Pick<InboxStore, 'purgeExpired' | 'rotate'>,
    options: InboxRetentionOptions = {},
  ) {
    if (typeof store?.purgeExpired !== 'function') throw new InvalidOptionError('store', 'an InboxStore (with purgeExpired)', store);
    const { intervalMs = 60_000, batchSize = 1000, onPurged = () => {}, onRotated = () => {}, onError } = options;
    checkDuration('intervalMs', intervalMs, { min: 1 });
    checkInteger('batchSize', batchSize, { min: 1 });
    this.intervalMs = intervalMs;
    this.batchSize = batchSize;
    this.onPurged = onPurged;
    this.onRotated = onRotated;
    this.onError = onError ?? ((error) => process.emitWarning(`inbox retention failed: ${(error as Error)?.message ?? error}`, 'TxOutboxInboxRetentionWarning'));
  }

  /** Schedules the first purge after `intervalMs`. Calling it again while started does nothing. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Cancels the next purge and waits for one in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
  }

  /**
   * Rotates the store's partitions (when it has them), then deletes every expired record left, in
   * batches. Returns how many records the deletes removed. @throws the store's error.
   */
  async purgeNow(): Promise<number> {
    const rotation = await this.store.rotate?.();
    if (rotation) {
      this.notify(() => this.onRotated(rotation));
      for (const failure of rotation.failures) this.notify(() => this.onError(failure.error));
    }
    let total = 0;
    for (;;) {
      const deleted = await this.store.purgeExpired(this.batchSize);
      total += deleted;
      if (deleted < this.batchSize) return total;
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.current = this.purgeNow();
      void this.current
        .then(
          (count) => this.notify(() => this.onPurged(count)),
          (error) => this.notify(() => this.onError(error)),
        )
        .finally(() => {
          this.current = undefined;
          if (!this.stopped) this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref?.();
  }

  /** A listener that throws must not stop the schedule. */
  private notify(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      process.emitWarning(`inbox retention listener threw: ${(error as Error)?.message ?? error}`, 'TxOutboxInboxRetentionWarning');
    }
  }
}
