/** Arguments of {@link DedupStore.begin}. */
export interface DedupBeginOptions {
  consumer: string;
  messageId: string;
  /** How long the new `in_progress` record protects the handler before another instance may take over. */
  leaseMs: number;
  /** Optional fingerprint of the payload (e.g. a hash); a later `begin` with another fingerprint is a mismatch. */
  fingerprint?: string;
}

/** What {@link DedupStore.begin} found. */
export type DedupBeginResult =
  /** This caller now owns an `in_progress` record (new, or taken over from an expired lease). */
  | { outcome: 'acquired'; token: string }
  /** Already `done`: a duplicate. */
  | { outcome: 'done'; processedAt: Date }
  /** Another live `in_progress` record holds it. */
  | { outcome: 'in_progress'; lockedUntil: Date }
  /** A record exists with a different fingerprint. */
  | { outcome: 'mismatch' };

/**
 * Consumer-side dedup records keyed by `(consumer, messageId)`. `handleOnce` is built on it.
 * Implemented by `PostgresDedupStore` (outbox-typeorm) and `InMemoryDedupStore`.
 */
export interface DedupStore {
  /** Acquires or inspects the record in one atomic step. */
  begin(options: DedupBeginOptions): Promise<DedupBeginResult>;
  /** Marks the record `done` (`processed_at = now`, expiring after `ttlMs`), if `token` still owns it. Returns whether it did. */
  complete(consumer: string, messageId: string, token: string, ttlMs: number): Promise<boolean>;
  /** Deletes the `in_progress` record if `token` still owns it, so a redelivery runs the handler again. */
  release(consumer: string, messageId: string, token: string): Promise<void>;
  /** Deletes expired `done` records, at most `batchSize` per call. Returns how many. */
  purgeExpired(batchSize: number): Promise<number>;
}
