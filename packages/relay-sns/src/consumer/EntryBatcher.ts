/** SQS takes at most 10 entries per batch call. */
export const MAX_BATCH_ENTRIES = 10;

/** What became of one entry of a batch call. `retry`: SQS refused it for its own reasons, sending it again may work. */
export type EntryOutcome = { ok: true } | { ok: false; error: unknown; retry: boolean };

/** What {@link EntryBatcher.add} resolves to once the entry is settled (it never rejects). */
export type EntryResult = { ok: true } | { ok: false; error: unknown };

/** How an {@link EntryBatcher} sends and when. */
export interface EntryBatcherOptions<T> {
  /** Sends up to 10 entries in one call; resolves to each one's outcome, in order. Throws when the whole call failed. */
  send(entries: readonly T[]): Promise<EntryOutcome[]>;
  /** How long the first entry of a batch waits for nine more before the batch goes out short. */
  maxWaitMs: number;
  /** Calls in all for an entry refused with `retry` (the SDK already retries a call that failed whole). */
  tries: number;
}

interface Pending<T> {
  entry: T;
  tries: number;
  settle: (result: EntryResult) => void;
}

/**
 * Folds per-message SQS requests into batch calls (DeleteMessageBatch, ChangeMessageVisibilityBatch):
 * a batch goes out when it holds 10 entries, `maxWaitMs` after its first entry, or at once for an
 * urgent entry (at the end of the current turn, so the entries added in it still share the call). An
 * entry SQS refused for its own reasons is sent again with the next batch, up to `tries` calls.
 */
export class EntryBatcher<T> {
  private pending: Pending<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: EntryBatcherOptions<T>) {}

  /** Queues one entry; resolves once it is done or given up (never rejects). */
  add(entry: T, urgent = false): Promise<EntryResult> {
    return new Promise((settle) => this.enqueue({ entry, tries: 0, settle }, urgent));
  }

  /** Sends everything queued now and resolves once no call (nor a resend it leads to) is in flight. */
  async flush(): Promise<void> {
    this.sendPending();
    while (this.inFlight.size > 0 || this.pending.length > 0) {
      await Promise.all(this.inFlight);
      this.sendPending();
    }
  }

  private enqueue(item: Pending<T>, urgent: boolean): void {
    this.pending.push(item);
    if (this.pending.length >= MAX_BATCH_ENTRIES) return this.sendPending();
    if (urgent) this.immediate ??= setImmediate(() => this.sendPending());
    else this.timer ??= setTimeout(() => this.sendPending(), this.options.maxWaitMs);
  }

  private sendPending(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    while (this.pending.length > 0) this.send(this.pending.splice(0, MAX_BATCH_ENTRIES));
  }

  private send(batch: Pending<T>[]): void {
    const call = this.options.send(batch.map((item) => item.entry)).then(
      (outcomes) => {
        batch.forEach((item, i) => {
          const outcome = outcomes[i] ?? { ok: false, error: new Error('SQS answered nothing for this entry'), retry: true };
          if (outcome.ok) return item.settle({ ok: true });
          if (outcome.retry && item.tries + 1 < this.options.tries) return this.enqueue({ ...item, tries: item.tries + 1 }, true);
          item.settle({ ok: false, error: outcome.error });
        });
      },
      (error: unknown) => {
        for (const item of batch) item.settle({ ok: false, error });
      },
    );
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call));
  }
}
