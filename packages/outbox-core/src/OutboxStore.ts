import type { OutboxMessage } from './OutboxMessage.js';

/** Arguments of {@link OutboxStore.claim}. */
export interface ClaimOptions {
  /** Identifies the claiming relay; written to `locked_by` and used to fence the marks. */
  relayId: string;
  /** At most this many messages. */
  limit: number;
  /** Lease length: the messages are not claimable by others until `now + leaseMs`. */
  leaseMs: number;
  /**
   * Ordered mode: claim only messages that are at the head of their `groupKey` (lowest `seq` among the
   * group's pending messages) or follow it without a gap, and only for groups that have no message
   * leased or backing off. So at most one claim of a group is out at any time, in `seq` order.
   * Messages without a group key are claimed freely.
   */
  ordered: boolean;
}

/** A message whose publish failed but may succeed later. */
export interface RetryMark {
  id: string;
  /**
   * It may be claimed again this many ms from now, by the store's clock (PostgreSQL: `now() + delay`):
   * the relay never sends a time of its own clock, so a relay whose clock is off cannot retry too soon
   * or park a message for too long.
   */
  delayMs: number;
  error: string;
}

/** Options of {@link OutboxStore.release}. */
export interface ReleaseOptions {
  /** Claimable again this many ms from now, by the store's clock. @defaultValue 0 (at once; `available_at` unchanged) */
  delayMs?: number;
  /** Recorded as `last_error` (e.g. why the route is blocked). @defaultValue the stored one is kept */
  error?: string;
}

/** A message that will never be published: dead-lettered with its reason. */
export interface DeadMark {
  id: string;
  error: string;
}

/** Counts for dashboards and the `status` command. */
export interface OutboxStats {
  /** Not sent, not dead (includes in-flight and backing-off). */
  pending: number;
  /** Age in ms of the oldest pending message, `null` when there is none. */
  oldestPendingAgeMs: number | null;
  /** Pending and currently leased by a relay. */
  inFlight: number;
  /** Dead-lettered. */
  dead: number;
  /**
   * Set when a count was too large to take exactly within the store's budget and is an estimate
   * (PostgreSQL: above 10,000 rows).
   */
  approximate?: boolean;
}

/** What {@link OutboxStore.checkWritable} found. */
export type WritableCheck =
  | { writable: true }
  /**
   * The store answers but cannot take writes: claims and marks fail there (PostgreSQL: a standby in
   * recovery, or a read-only server, e.g. the old writer after a failover while DNS still names it).
   * `code` is the store's word for it (`in-recovery`, `read-only`); `reason` says what it means and what to do.
   */
  | { writable: false; code: string; reason: string };

/**
 * The relay's view of the outbox table. Implemented by `PostgresOutboxStore` (outbox-typeorm) and
 * `InMemoryOutboxStore` (for tests of the core). Every method is one round trip.
 */
export interface OutboxStore {
  /**
   * Atomically claims pending, available, unleased messages, oldest first: sets `locked_by = relayId`,
   * `locked_until = now + leaseMs` and bumps `attempts`. Safe with many relays claiming at once: no
   * message is handed to two live leases. A message whose lease ran out is claimable again within a
   * few seconds (PostgreSQL: at its next sweep, within a second).
   */
  claim(options: ClaimOptions): Promise<OutboxMessage[]>;
  /** Marks messages sent (`sent_at = now`) and clears the lease. Only rows still leased by `relayId` change. Returns how many did. */
  markSent(relayId: string, ids: readonly string[]): Promise<number>;
  /** Releases the lease and sets `available_at = now + delayMs` (store clock), recording `last_error`. Fenced by `relayId`. */
  markRetry(relayId: string, marks: readonly RetryMark[]): Promise<number>;
  /** Dead-letters: sets `dead_at` and `last_error`, clears the lease. Fenced by `relayId`. */
  markDead(relayId: string, marks: readonly DeadMark[]): Promise<number>;
  /**
   * Gives back leased messages without counting the attempt (undoes the `attempts` bump), e.g. on
   * shutdown before publishing, or when their route is blocked (then with `delayMs` and `error`).
   * Fenced by `relayId`.
   */
  release(relayId: string, ids: readonly string[], options?: ReleaseOptions): Promise<number>;
  /** Backlog figures. */
  stats(): Promise<OutboxStats>;
  /**
   * Optional: makes messages given back earlier (retried or released) claimable now, because the route
   * they waited on works again. Only those still waiting change: pending, not leased, `available_at`
   * still in the future (store clock); their tries are left as they are. Returns how many did. A relay
   * brings forward only the messages it gave back itself; without this method they wait their backoff.
   */
  resume?(ids: readonly string[]): Promise<number>;
  /**
   * Optional: whether the store can take writes now. A read succeeds on a read-only replica, so
   * readiness probes ask this instead (the sidecar's `/readyz`, the Nest health indicator).
   */
  checkWritable?(): Promise<WritableCheck>;
  /**
   * Optional wake-up: calls `onWake` soon after a transaction that wrote messages commits (Postgres:
   * LISTEN/NOTIFY). A latency hint only; the relay keeps polling. Resolves to an unsubscribe function.
   * A store that can tell when its wake-ups stop arriving reports it to `monitor`.
   *
   * Once it resolved, the store owns the subscription: it reconnects by itself (reporting each failure
   * to `monitor.error`) until unsubscribed. Only when it rejects does the relay call it again later.
   */
  subscribe?(onWake: () => void, monitor?: WakeUpMonitor): Promise<() => Promise<void>>;
}

/**
 * What a store reports about its wake-ups besides the wake-ups themselves, e.g. that a test
 * notification it sent itself never arrived (a transaction-mode pooler drops them). The relay keeps
 * polling either way; this only explains why latency became the poll interval.
 */
export interface WakeUpMonitor {
  /** Wake-ups stopped arriving. Called once per outage, not once per failed check. */
  lost(error: Error): void;
  /** Wake-ups arrive again after {@link WakeUpMonitor.lost}. */
  restored(): void;
  /**
   * Optional: the wake-up connection failed (lost, or a reconnect failed) and the store is
   * reconnecting by itself. The `Relay` reports it as `relay:error` with stage `subscribe`.
   */
  error?(error: Error): void;
  /**
   * Optional: how long, in ms, the store may take to connect and start listening (the first time and
   * on each reconnect) and to give the subscription back; past it, that attempt fails and the
   * connection is dropped. A `Relay` passes its `storeTimeoutMs`: a database gone silent must not
   * hold `start()` or `stop()`.
   */
  timeoutMs?: number;
}
