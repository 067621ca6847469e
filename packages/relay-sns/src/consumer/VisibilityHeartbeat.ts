import type { Message } from '@aws-sdk/client-sqs';
import type { EntryBatcher, EntryResult } from './EntryBatcher.js';
import type { VisibilityChange } from './sendBatchEntries.js';

/** SQS keeps a received message invisible for at most 12 hours in all, counted from the receive. */
export const MAX_VISIBILITY_SECONDS = 43_200;

/** Shortest pause between two ticks of the heartbeat. */
const MIN_TICK_MS = 100;
/** A tick may come this much sooner than its interval by performance.now(): still the tick a message is due at. */
const TICK_SLACK_MS = 2;

interface Held {
  receiptHandle: string;
  /** `performance.now()` just before the ReceiveMessage call that returned it (so the 12 h cap is never overrun). */
  receivedAt: number;
  /** When it is next due for an extension (`performance.now()` time): half a visibility timeout after the last one was sent. */
  dueAt: number;
  extending: Promise<unknown> | undefined;
}

/** What a {@link VisibilityHeartbeat} needs. */
export interface VisibilityHeartbeatOptions {
  /** The visibility timeout messages are received with; each extension asks for it again. */
  visibilitySeconds: number;
  /** Where the extensions go (ChangeMessageVisibilityBatch). */
  changes: EntryBatcher<VisibilityChange>;
  /** A failed extension: reported, never fatal (the next tick tries again). */
  onError: (error: unknown, raw: Message) => void;
}

/**
 * Keeps the messages a consumer holds invisible while their handlers run. One timer ticks every quarter
 * visibility timeout; at each tick the messages whose last extension (or receive) is half a visibility
 * timeout old by the next tick are extended together, 10 per ChangeMessageVisibilityBatch call. A
 * message handled in under a quarter of the timeout is never extended, so fast handlers cost no call.
 * The last extension of a message stops at SQS's 12-hour cap. A visibility of 0 needs no heartbeat.
 */
export class VisibilityHeartbeat {
  private readonly held = new Map<Message, Held>();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly halfMs: number;
  private readonly tickMs: number;

  constructor(private readonly options: VisibilityHeartbeatOptions) {
    this.halfMs = (options.visibilitySeconds * 1000) / 2;
    this.tickMs = Math.max(this.halfMs / 2, MIN_TICK_MS);
    if (options.visibilitySeconds > 0) {
      this.timer = setInterval(() => this.tick(), this.tickMs);
      this.timer.unref();
    }
  }

  /**
   * Holds `raw` from its receive on. @returns a function that lets it go and resolves once no extension
   * of it is in flight; await it before deleting the message or giving it back (a late extension would
   * undo a shorter retry delay).
   */
  hold(raw: Message, receivedAt: number): () => Promise<void> {
    if (this.timer === undefined || raw.ReceiptHandle === undefined) return async () => undefined;
    // Due half a visibility timeout after now, when the receive has returned it (a long poll that waited
    // did not start its visibility timeout); the 12-hour cap counts from before the call, to be safe.
    const held: Held = { receiptHandle: raw.ReceiptHandle, receivedAt, dueAt: performance.now() + this.halfMs, extending: undefined };
    this.held.set(raw, held);
    return async () => {
      this.held.delete(raw);
      await held.extending;
    };
  }

  /** Stops the timer; messages still held are no longer extended. */
  stop(): void {
    clearInterval(this.timer);
    this.held.clear();
  }

  private tick(): void {
    const now = performance.now();
    for (const [raw, held] of this.held) {
      if (held.extending || held.dueAt > now + this.tickMs + TICK_SLACK_MS) continue;
      // Whole seconds left under the cap, rounding the time already spent up.
      const left = MAX_VISIBILITY_SECONDS - Math.ceil((now - held.receivedAt) / 1000);
      const seconds = Math.min(this.options.visibilitySeconds, left);
      if (seconds <= 0) {
        this.held.delete(raw);
        continue;
      }
      // The last extension SQS allows: the message is no longer held after it.
      if (seconds < this.options.visibilitySeconds) this.held.delete(raw);
      held.extending = this.options.changes.add({ receiptHandle: held.receiptHandle, seconds }, true).then((result: EntryResult) => {
        held.extending = undefined;
        // Counted from the send: SQS's new deadline is at least `visibilitySeconds` after it.
        if (result.ok) held.dueAt = now + this.halfMs;
        else if (this.held.has(raw)) this.options.onError(result.error, raw);
      });
    }
  }
}
