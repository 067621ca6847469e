/** Identifies one receipt: a message id as seen by one consumer (each consumer dedups on its own). */
export interface InboxKey {
  consumer: string;
  messageId: string;
}

/** An `in_progress` record owned by one `handleOnce` call; `token` fences every later write. */
export interface InboxLease extends InboxKey {
  token: string;
}

/** Arguments of {@link InboxStore.begin}. */
export interface InboxBeginOptions extends InboxKey {
  /** How long the new `in_progress` record protects the handler before another instance may take over. */
  leaseMs: number;
  /** How long the record is kept; an abandoned `in_progress` record is purged after it too. */
  ttlMs: number;
  /** Optional fingerprint of the payload (e.g. a hash); a later `begin` with another fingerprint is a mismatch. */
  fingerprint?: string;
}

/** What {@link InboxStore.begin} found. */
export type InboxBeginResult =
  /** This caller now owns an `in_progress` record (new, taken over from an expired lease, or replacing an expired `done`). */
  | { outcome: 'acquired'; token: string }
  /** Already `done` and not expired: a duplicate. */
  | { outcome: 'done'; processedAt: Date }
  /**
   * Another live `in_progress` record holds it, until `lockedUntil`; `retryAfterMs` is what is left of
   * that lease by the store's clock (a consumer puts the message back for that long).
   */
  | { outcome: 'in_progress'; lockedUntil: Date; retryAfterMs?: number }
  /** A record exists with a different fingerprint. */
  | { outcome: 'mismatch' };

/** Arguments of {@link InboxStore.runOnce}. */
export interface InboxRunOnceOptions extends InboxKey {
  /** How long the `done` record is kept. */
  ttlMs: number;
  /** How long a delivery that finds the id in progress elsewhere should stay away (the lease of the lease-based stores). */
  leaseMs: number;
  /** Optional fingerprint of the payload, as for {@link InboxStore.begin}. */
  fingerprint?: string;
}

/** What {@link InboxStore.runOnce} did: ran the handler (`processed`), or found the id done, in progress or mismatched. */
export type InboxRunOnceResult<T> = { outcome: 'processed'; result: T } | Exclude<InboxBeginResult, { outcome: 'acquired' }>;

/** What {@link InboxStore.rotate} changed. */
export interface InboxRotation {
  /** Partitions created ahead of their day. */
  created: string[];
  /** Partitions emptied with TRUNCATE because every record in them had expired (the planner's estimate of how many there were). */
  truncated: Array<{ partition: string; estimatedRecords: number }>;
  /** Empty partitions of past days dropped. */
  dropped: string[];
  /** Steps that did not get their lock in time (a long transaction held the table); tried again at the next run. */
  deferred: string[];
  /** Steps that failed for another reason. */
  failures: Array<{ step: string; error: unknown }>;
}

/**
 * Consumer-side inbox record keyed by `(consumer, messageId)`, each `in_progress` (with a lease) or
 * `done` (until it expires). `handleOnce` is built on it; most users call that, not these methods.
 * Implemented by `InMemoryInboxStore` (here) and `PostgresInboxStore` (outbox-typeorm).
 */
export interface InboxStore {
  /**
   * Acquires the record in one atomic step: inserts it, or takes over an `in_progress` record whose
   * lease expired or a `done` record that expired. Otherwise reports what holds it.
   */
  begin(options: InboxBeginOptions): Promise<InboxBeginResult>;
  /**
   * Marks the record `done` (processed now, expiring after `ttlMs`) if `lease.token` still owns it.
   * Returns false when another instance took it over.
   */
  complete(lease: InboxLease, ttlMs: number): Promise<boolean>;
  /** Deletes the `in_progress` record if `lease.token` still owns it, so a redelivery runs the handler again. */
  release(lease: InboxLease): Promise<void>;
  /**
   * Optional. Pushes the lease of the `in_progress` record that `lease.token` owns to `leaseMs` from
   * now (the store's clock), so a handler that runs longer than one lease keeps the message.
   * `handleOnce` calls it every third of the lease while the handler runs. Returns false when the
   * token no longer owns the record (it expired and another instance took it over).
   */
  extendLease?(lease: InboxLease, leaseMs: number): Promise<boolean>;
  /**
   * Deletes expired records, at most `batchSize` per call. Returns how many; call again until it returns 0.
   * A store that keeps records in time partitions deletes here only those it cannot drop with their
   * partition (see `rotate`).
   */
  purgeExpired(batchSize: number): Promise<number>;
  /**
   * Optional. For a store that keeps its records in time partitions: creates the partitions of the
   * coming days, and empties (TRUNCATE) and drops those whose records have all expired, so that
   * retention writes no dead tuples. `InboxRetention` calls it at each run, before `purgeExpired`.
   */
  rotate?(): Promise<InboxRotation>;
  /**
   * Optional. Runs `handler` and then completes the record inside one transaction, so the handler's
   * own database writes and the `done` record commit or roll back together (exactly-once effect).
   * Must throw `InboxLeaseLostError`, rolling back, when `lease.token` no longer owns the record.
   * `handleOnce` uses it instead of `handler()` + `complete()` when present. `handler` is given the
   * store's handle on that transaction (e.g. an EntityManager), which handleOnce passes on to its handler.
   */
  runAndComplete?<T>(lease: InboxLease, ttlMs: number, handler: (transaction: unknown) => Promise<T>): Promise<T>;
  /**
   * Optional. Runs `handler` in one transaction whose first statement writes the record `done`, so the
   * record and the handler's writes commit or roll back together, with no `in_progress` lease to take,
   * renew or release (and none left behind when the consumer or its database connection dies: the
   * transaction rolls back with them). A concurrent delivery of the same id waits for that transaction,
   * for a bounded time, then finds it done (or runs, after a rollback), or reports it `in_progress`.
   * Resolves `undefined` when it cannot work this way in the current context (e.g. a caller's
   * transaction is open); `handleOnce` then uses `begin` and `runAndComplete` or `complete`.
   * `handleOnce` prefers it when present. `handler` is given the store's handle on the transaction, as
   * for `runAndComplete`.
   */
  runOnce?<T>(options: InboxRunOnceOptions, handler: (transaction: unknown) => Promise<T>): Promise<InboxRunOnceResult<T> | undefined>;
}
