import type { OptionRange } from '../options/optionChecks.js';
import type { OutboxStore } from '../OutboxStore.js';
import type { Transport } from '../Transport.js';
import type { RelayLogger } from './RelayLogger.js';
import type { RetryPolicy } from './RetryPolicy.js';

/** Options of {@link Relay}. Everything but `store` and `transport` has a default. */
export interface RelayOptions {
  /** Where the messages are claimed and marked (e.g. `PostgresOutboxStore`). */
  store: OutboxStore;
  /** Where they are published (e.g. `SnsTransport`). Closed by `stop()` if it has `close()`. */
  transport: Transport;
  /**
   * This relay's identity in the store's leases (`locked_by`). Must be unique among running relays.
   * @defaultValue `<hostname>-<pid>-<8 random hex digits>`
   */
  relayId?: string;
  /** Messages per claim (one store round trip). @defaultValue 100 */
  batchSize?: number;
  /** Claimed batches being published and marked at once. @defaultValue 4 */
  maxInFlight?: number;
  /** Fallback poll interval in ms when the store has no wake-up or nothing is pending. @defaultValue 1000 */
  pollIntervalMs?: number;
  /**
   * How long a claim is leased, in ms. A batch must be published and marked within it, else another
   * relay may claim the messages again (they are then published twice: at least once).
   * @defaultValue 30000
   */
  leaseMs?: number;
  /**
   * Publish each `groupKey`'s messages in `seq` order, at most one batch of a group in flight, a group
   * waiting while its head backs off. A dead-lettered head does not block its group.
   * @defaultValue false
   */
  ordered?: boolean;
  /** Interval in ms of the `relay:backlog` event (from `store.stats()`); 0 disables it. @defaultValue 10000 */
  statsIntervalMs?: number;
  /**
   * Longest wait, in ms, for one store call (claim, mark, release, stats). A call that does not answer
   * in time (a database connection gone silent) fails with `StoreTimeoutError` and is retried with a
   * backoff, so neither the loop nor `stop()` can hang on the database. Keep it below `leaseMs`.
   * @defaultValue 10000
   */
  storeTimeoutMs?: number;
  /** Retry policy; missing fields take their defaults (see {@link RetryPolicy}). */
  retry?: Partial<RetryPolicy>;
  /** @defaultValue {@link consoleRelayLogger} */
  logger?: RelayLogger;
}

/** The tunable options of {@link RelayOptions} with their default values. */
export const DEFAULT_RELAY_OPTIONS = {
  batchSize: 100,
  maxInFlight: 4,
  pollIntervalMs: 1_000,
  leaseMs: 30_000,
  ordered: false,
  statsIntervalMs: 10_000,
  storeTimeoutMs: 10_000,
} as const satisfies Required<Omit<RelayOptions, 'store' | 'transport' | 'relayId' | 'retry' | 'logger'>>;

/** The values each numeric option accepts (inclusive); the `outbox-relay` CLI uses the same. */
export const RELAY_OPTION_RANGES = {
  batchSize: { min: 1, max: 10_000 },
  maxInFlight: { min: 1, max: 256 },
  pollIntervalMs: { min: 1, max: 3_600_000 },
  leaseMs: { min: 1, max: 3_600_000 },
  statsIntervalMs: { min: 0 },
  storeTimeoutMs: { min: 1, max: 3_600_000 },
} as const satisfies Record<'batchSize' | 'maxInFlight' | 'pollIntervalMs' | 'leaseMs' | 'statsIntervalMs' | 'storeTimeoutMs', OptionRange>;

/** Options after defaults and validation. */
export interface ResolvedRelayOptions {
  store: OutboxStore;
  transport: Transport;
  relayId: string;
  batchSize: number;
  maxInFlight: number;
  pollIntervalMs: number;
  leaseMs: number;
  ordered: boolean;
  statsIntervalMs: number;
  storeTimeoutMs: number;
  retry: RetryPolicy;
  logger: RelayLogger;
}
