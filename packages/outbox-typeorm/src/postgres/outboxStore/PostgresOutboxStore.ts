import { type ClaimOptions, type DeadMark, InvalidOptionError, type OutboxMessage, type OutboxStats, type OutboxStore, type ReleaseOptions, type RetryMark, type WakeUpMonitor, type WritableCheck } from '@tx-outbox/outbox-core';
import { checkDuration, checkInteger } from '@tx-outbox/outbox-core/internal';
import { type DataSourceLike, type PgQueryable, type SqlExecutor } from '../SqlExecutor.js';
import { discardIdleConnections, type IdleConnectionsPool } from '../discardIdleConnections.js';
import { poolSource } from '../poolSource.js';
import { type TableLocation, notifyChannel } from '../identifiers.js';
import { readOutboxLayout } from '../maintenance/readOutboxLayout.js';
import { type OutboxNames, outboxNames } from '../schema/outboxNames.js';
import { claimMessages } from './claimMessages.js';
import { claimOrderedMessages } from './claimOrderedMessages.js';
import { ClaimWatermark } from './ClaimWatermark.js';
import { markDead } from './markDead.js';
import { markRetry } from './markRetry.js';
import { markSent } from './markSent.js';
import { NotifyCheck } from './NotifyCheck.js';
import { type ListenClient, NotifyListener } from './NotifyListener.js';
import { OutboxTableError } from './OutboxTableError.js';
import { readFloor } from './readFloor.js';
import { readStats } from './readStats.js';
import { readWriterState } from './readWriterState.js';
import { releaseMessages } from './releaseMessages.js';
import { resumeMessages } from './resumeMessages.js';
import { sendNotifyProbe } from './sendNotifyProbe.js';
import { persistFloor } from './persistFloor.js';
import { sweepBehindWatermark } from './sweepBehindWatermark.js';

/** What a pg `Pool` looks like to the store: queries, plus `connect()` for the LISTEN connection. */
export interface PgPoolLike extends PgQueryable {
  connect(): Promise<ListenClient>;
}

/** Where the LISTEN connection comes from, when not from the store's own pool: a pg `Pool`, say. */
export interface ListenPoolLike {
  connect(): Promise<ListenClient>;
}

/** Options of {@link PostgresOutboxStore}. Give exactly one of `pool` and `dataSource`. */
export interface PostgresOutboxStoreOptions extends TableLocation {
  /** A pg `Pool` (the relay sidecar's way: no TypeORM needed). */
  pool?: PgPoolLike;
  /**
   * A TypeORM `DataSource` on the postgres driver; the store uses its connection pool, outside any
   * business transaction. It may be initialized after the store is constructed, but before first use.
   */
  dataSource?: DataSourceLike;
  /**
   * Where the LISTEN connection comes from. Behind a transaction-mode pooler (PgBouncer
   * `pool_mode=transaction`, RDS Proxy) claims work but notifications are dropped: give LISTEN a pool
   * that reaches PostgreSQL directly or through a session-mode pool, e.g.
   * `new pg.Pool({ connectionString: process.env.OUTBOX_LISTEN_DATABASE_URL, max: 1 })`.
   * The store holds one connection of it while subscribed and never ends it.
   * @defaultValue the store's `pool` (or the DataSource's)
   */
  listenPool?: ListenPoolLike;
  /**
   * How often, in ms, the store sends itself a probe notification (over `pool`) to check that
   * notifications reach its LISTEN connection; one is sent right after each LISTEN. 0 turns the
   * check off. When a probe goes unheard the relay reports lost wake-ups (`wakeup:lost`) and keeps
   * polling; when one is heard again, `wakeup:restored`.
   * @defaultValue 30000
   */
  notifyCheckIntervalMs?: number;
  /**
   * How long, in ms, a probe may take to arrive before notifications count as lost.
   * @defaultValue 2000
   */
  notifyCheckTimeoutMs?: number;
  /**
   * Told when the LISTEN connection is lost or a reconnect fails (the relay keeps polling meanwhile),
   * and when notifications are lost, if the subscriber gave no monitor for it (a `Relay` does: it
   * reports both as `relay:error`).
   * @defaultValue emits a Node process warning
   */
  onListenError?: (error: Error) => void;
}

const NOTIFY_CHECK_DEFAULTS = { notifyCheckIntervalMs: 30_000, notifyCheckTimeoutMs: 2_000 };

/**
 * How often the store walks the span behind its watermark (sweepBehindWatermark.ts) for expired
 * leases: a dead relay's messages go out again within its lease plus this.
 */
export const SWEEP_INTERVAL_MS = 1_000;

/** An ordered claim that parks and brings nothing tries again at most this often in one call. */
const MAX_PARKING_ROUNDS = 16;
/** ... walking at most this many times its limit above the watermark. */
const MAX_ORDERED_WALK = 32;

/**
 * The relay's {@link OutboxStore} on PostgreSQL: claims with `FOR UPDATE SKIP LOCKED` and a lease from
 * a watermark it never walks back past (ClaimWatermark.ts), marks fenced by `locked_by`, wakes on the
 * publisher's NOTIFY. Retention is `OutboxMaintenance`'s, the operator's commands `OutboxAdmin`'s.
 * Imports neither pg nor typeorm at runtime.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
 *
 * const store = new PostgresOutboxStore({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * const messages = await store.claim({ relayId: 'relay-1', limit: 100, leaseMs: 30_000, ordered: false });
 * await store.markSent('relay-1', messages.map((m) => m.id));
 * ```
 */
export class PostgresOutboxStore implements OutboxStore {
  /** The quoted, schema-qualified table name the statements use. */
  readonly table: string;
  /** The NOTIFY channel this store listens on (the publisher's, for the same table options). */
  readonly channel: string;
  readonly #pool: () => PgPoolLike;
  readonly #db: SqlExecutor;
  readonly #onListenError: (error: Error) => void;
  readonly #listenPool: (() => ListenPoolLike) | undefined;
  readonly #notifyCheck: { intervalMs: number; timeoutMs: number };
  readonly #names: OutboxNames;
  readonly #watermark = new ClaimWatermark();
  #starting: Promise<void> | undefined;
  #ordered: boolean | undefined;
  #sweptAt = 0;
  #sweeping: Promise<void> | undefined;

  constructor(options: PostgresOutboxStoreOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object', options);
    const { onListenError, listenPool } = options;
    const source = poolSource(options, { pool: 'a pg Pool (with query() and connect())', needsConnect: true });
    if (onListenError !== undefined && typeof onListenError !== 'function') {
      throw new InvalidOptionError('onListenError', 'a function', onListenError);
    }
    if (listenPool !== undefined && (typeof listenPool !== 'object' || listenPool === null || typeof listenPool.connect !== 'function')) {
      throw new InvalidOptionError('listenPool', 'a pg Pool (with connect()) for the LISTEN connection', listenPool);
    }
    const intervalMs = options.notifyCheckIntervalMs ?? NOTIFY_CHECK_DEFAULTS.notifyCheckIntervalMs;
    const timeoutMs = options.notifyCheckTimeoutMs ?? NOTIFY_CHECK_DEFAULTS.notifyCheckTimeoutMs;
    checkDuration('notifyCheckIntervalMs', intervalMs, { min: 0 }); // 0 turns the check off
    checkDuration('notifyCheckTimeoutMs', timeoutMs, { min: 1 });
    this.#listenPool = listenPool && (() => listenPool);
    this.#notifyCheck = { intervalMs, timeoutMs };
    this.#names = outboxNames(options);
    this.table = this.#names.table;
    this.channel = notifyChannel(options);
    this.#pool = source.pool;
    this.#db = source.db;
    this.#onListenError = onListenError ?? ((error) => process.emitWarning(error.message, 'TxOutboxListenWarning'));
  }

  async claim(options: ClaimOptions): Promise<OutboxMessage[]> {
    if (typeof options.relayId !== 'string' || options.relayId === '') {
      throw new InvalidOptionError('relayId', 'a non-empty string', options.relayId);
    }
    checkInteger('limit', options.limit, { min: 0 });
    checkDuration('leaseMs', options.leaseMs, { min: 1 });
    await this.#start();
    if (options.ordered && !this.#ordered) throw new OutboxTableError('no-ordered-indexes', this.table);
    if (options.limit === 0) return [];
    await this.#sweepIfDue();
    const w = this.#watermark;
    const names = this.#names;
    const { relayId, limit, leaseMs } = options;
    if (!options.ordered) {
      const ticket = w.begin();
      const claimed = await claimMessages(this.#db, names.table, names.seqSequence, { relayId, limit, leaseMs, low: w.low });
      w.observe(ticket, claimed.observation);
      return claimed.messages;
    }
    // An ordered claim that only parked blocked messages made progress but brought nothing: claim on at
    // once (walking further each time) rather than leave the relay to sleep until its next poll.
    for (let round = 0, walk = 2 * limit; ; round++, walk = Math.min(walk * 2, MAX_ORDERED_WALK * limit)) {
      const ticket = w.begin();
      const claimed = await claimOrderedMessages(this.#db, names.table, names.seqSequence, { relayId, limit, leaseMs, low: w.low, floor: w.near, walk });
      w.observe(ticket, claimed.observation);
      if (claimed.messages.length > 0 || claimed.parked === 0 || round + 1 >= MAX_PARKING_ROUNDS) return claimed.messages;
    }
  }

  /** Reads the table's layout and the persisted floor once (again after a failure). */
  #start(): Promise<void> {
    this.#starting ??= (async () => {
      const found = await readOutboxLayout(this.#db, this.#names);
      if (found.kind !== 'slotted') throw new OutboxTableError(found.kind, this.table);
      this.#ordered = found.layout.ordered;
      this.#watermark.start(await readFloor(this.#db, this.#names.floorSequence));
    })().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return this.#starting;
  }

  /**
   * Sweeps behind the watermark at most every {@link SWEEP_INTERVAL_MS}, and the span a long
   * transaction held when it is due (ClaimWatermark.ts); persists the floor when it rose. One sweep at
   * a time; a claim never waits for another claim's sweep.
   */
  async #sweepIfDue(): Promise<void> {
    if (this.#sweeping || Date.now() - this.#sweptAt < SWEEP_INTERVAL_MS) return;
    this.#sweptAt = Date.now();
    const w = this.#watermark;
    const { table, floorSequence } = this.#names;
    this.#sweeping = (async () => {
      const floorBefore = w.floor;
      const span = w.sweepSpan();
      if (span.to > span.from) w.swept(span, (await sweepBehindWatermark(this.#db, table, span.from, span.to)).firstLeased);
      else w.swept(span, undefined);
      const deep = w.deepSweepSpan();
      if (deep) w.deepSwept(deep, (await sweepBehindWatermark(this.#db, table, deep.from, deep.to)).firstLeased);
      if (w.floor > floorBefore) w.start(await persistFloor(this.#db, floorSequence, w.floor));
    })().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async markSent(relayId: string, ids: readonly string[]): Promise<number> {
    return ids.length === 0 ? 0 : markSent(this.#db, this.table, relayId, ids);
  }

  async markRetry(relayId: string, marks: readonly RetryMark[]): Promise<number> {
    return marks.length === 0 ? 0 : markRetry(this.#db, this.table, relayId, marks);
  }

  async markDead(relayId: string, marks: readonly DeadMark[]): Promise<number> {
    return marks.length === 0 ? 0 : markDead(this.#db, this.table, relayId, marks);
  }

  async release(relayId: string, ids: readonly string[], options?: ReleaseOptions): Promise<number> {
    return ids.length === 0 ? 0 : releaseMessages(this.#db, this.table, relayId, ids, options);
  }

  async resume(ids: readonly string[]): Promise<number> {
    return ids.length === 0 ? 0 : resumeMessages(this.#db, this.table, ids);
  }

  async stats(): Promise<OutboxStats> {
    return readStats(this.#db, this.#names, this.#watermark.floor);
  }

  /**
   * Whether the server takes writes: not a standby in recovery, not read-only. When it does not, the
   * pool's idle connections (which reach that server) are closed, so the next claim connects anew and
   * finds the writer once the host name points at it again.
   */
  async checkWritable(): Promise<WritableCheck> {
    const { inRecovery, readOnly } = await readWriterState(this.#db);
    if (!inRecovery && !readOnly) return { writable: true };
    await discardIdleConnections(this.#pool() as unknown as IdleConnectionsPool);
    return inRecovery
      ? {
          writable: false,
          code: 'in-recovery',
          reason:
            'PostgreSQL is in recovery (pg_is_in_recovery()): the database URL reaches a standby, where claims and marks fail. After a failover, DNS or a proxy may still name the old server; the relay reconnects once it names the writer.',
        }
      : {
          writable: false,
          code: 'read-only',
          reason: 'PostgreSQL is read-only (transaction_read_only is on): the database URL reaches a server that refuses writes (a read replica, or default_transaction_read_only), where claims and marks fail.',
        };
  }

  /**
   * LISTENs on {@link channel} over a dedicated connection of `listenPool` (else of the pool), held
   * until unsubscribed, and calls `onWake` on each notification, and after each reconnect. Rejects
   * if the first LISTEN fails. Checks that notifications arrive (`notifyCheckIntervalMs`) and tells
   * `monitor` when they stop and come back.
   */
  async subscribe(onWake: () => void, monitor?: WakeUpMonitor): Promise<() => Promise<void>> {
    if (typeof onWake !== 'function') throw new InvalidOptionError('onWake', 'a function', onWake);
    const { intervalMs, timeoutMs } = this.#notifyCheck;
    const check =
      intervalMs === 0
        ? undefined
        : new NotifyCheck({
            channel: this.channel,
            send: (payload) => sendNotifyProbe(this.#db, this.channel, payload),
            intervalMs,
            timeoutMs,
            onLost: (error) => this.#tell(() => (monitor ? monitor.lost(error) : this.#onListenError(error))),
            onRestored: () => this.#tell(() => monitor?.restored()),
          });
    const listenPool = this.#listenPool ?? this.#pool;
    const listener = new NotifyListener({
      connect: () => listenPool().connect(),
      channel: this.channel,
      onWake,
      onError: (error) => this.#tell(() => (monitor?.error ? monitor.error(error) : this.#onListenError(error))),
      timeoutMs: monitor?.timeoutMs,
      check,
    });
    await listener.start();
    return () => listener.stop();
  }

  /** Runs a subscriber's callback from a timer: a throw goes to `onListenError`, never up the timer. */
  #tell(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#onListenError(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
