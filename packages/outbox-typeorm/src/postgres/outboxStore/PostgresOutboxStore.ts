import {
  type ClaimOptions,
  type DeadMark,
  InvalidOptionError,
  type OutboxMessage,
  type OutboxStats,
  type OutboxStore,
  type ReleaseOptions,
  type RetryMark,
  type WakeUpMonitor,
  type WritableCheck,
  checkDuration,
  checkInteger,
} from '@tx-outbox/outbox-core';
import { type DataSourceLike, type PgQueryable, type SqlExecutor } from '../SqlExecutor.js';
import { discardIdleConnections, type IdleConnectionsPool } from '../discardIdleConnections.js';
import { poolSource } from '../poolSource.js';
import { type TableLocation, notifyChannel, qualifiedTableName } from '../identifiers.js';
import { claimMessages } from './claimMessages.js';
import { claimOrderedMessages } from './claimOrderedMessages.js';
import { countDead } from './countDead.js';
import { countSent } from './countSent.js';
import { type MessageSelection, checkSelection } from './messageSelection.js';
import { deleteSentBefore } from './deleteSentBefore.js';
import { type DeadMessage, listDead } from './listDead.js';
import { markDead } from './markDead.js';
import { markRetry } from './markRetry.js';
import { markSent } from './markSent.js';
import { NotifyCheck } from './NotifyCheck.js';
import { type ListenClient, NotifyListener } from './NotifyListener.js';
import { purgeDead } from './purgeDead.js';
import { readStats } from './readStats.js';
import { readWriterState } from './readWriterState.js';
import { releaseMessages } from './releaseMessages.js';
import { republishSent } from './republishSent.js';
import { resumeMessages } from './resumeMessages.js';
import { requeueDead } from './requeueDead.js';
import { sendNotifyProbe } from './sendNotifyProbe.js';

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

/** How an operator's operation over many messages runs. */
export interface BatchOptions {
  /** Rows per statement: each batch is its own short transaction. @defaultValue 1000 */
  batchSize?: number;
}

const NOTIFY_CHECK_DEFAULTS = { notifyCheckIntervalMs: 30_000, notifyCheckTimeoutMs: 2_000 };

/** Arguments of {@link PostgresOutboxStore.deleteSent}. */
export interface DeleteSentOptions {
  /** Delete messages sent more than this many ms ago. */
  olderThanMs: number;
  /** Rows per DELETE statement. @defaultValue 1000 */
  batchSize?: number;
}

/**
 * The relay's {@link OutboxStore} on PostgreSQL: claims with `FOR UPDATE SKIP LOCKED` and a lease,
 * marks fenced by `locked_by`, wakes on the publisher's NOTIFY, plus the operator's tools
 * (retention, requeue/purge of dead letters). Imports neither pg nor typeorm at runtime.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { PostgresOutboxStore } from '@tx-outbox/outbox-typeorm/postgres';
 *
 * const store = new PostgresOutboxStore({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * const messages = await store.claim({ relayId: 'relay-1', limit: 100, leaseMs: 30_000, ordered: false });
 * await store.markSent('relay-1', messages.map((m) => m.id));
 * await store.deleteSent({ olderThanMs: 7 * 24 * 3600_000 });
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
    this.table = qualifiedTableName(options, 'outbox');
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
    if (options.limit === 0) return [];
    const args = { relayId: options.relayId, limit: options.limit, leaseMs: options.leaseMs };
    return options.ordered ? claimOrderedMessages(this.#db, this.table, args) : claimMessages(this.#db, this.table, args);
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
    return readStats(this.#db, this.table);
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

  /**
   * Retention: deletes messages sent more than `olderThanMs` ago, `batchSize` rows per statement,
   * until none are left. Dead and pending messages are never touched. Returns the number deleted.
   */
  async deleteSent(options: DeleteSentOptions): Promise<number> {
    const { olderThanMs, batchSize = 1000 } = options;
    checkDuration('olderThanMs', olderThanMs, { min: 0 });
    checkInteger('batchSize', batchSize, { min: 1 });
    let total = 0;
    for (;;) {
      const deleted = await deleteSentBefore(this.#db, this.table, olderThanMs, batchSize);
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  /**
   * Puts dead-lettered messages back in the queue (attempts reset, available now): `'all'`, or those
   * matching every given filter. Runs in batches of `batchSize`. Returns how many were requeued.
   */
  async requeueDead(selection: MessageSelection, options: BatchOptions = {}): Promise<number> {
    const checked = checkSelection(selection);
    const batchSize = checkBatchSize(options.batchSize);
    return walkInBatches(batchSize, (afterId) => requeueDead(this.#db, this.table, checked, afterId, batchSize));
  }

  /**
   * Replays sent messages: makes those matching the selection pending again, each with its own id and
   * `seq`, so the relay publishes them again and consumers that deduplicate on the outbox id skip them.
   * Runs in batches of `batchSize`. Returns how many were made pending.
   */
  async republishSent(selection: MessageSelection, options: BatchOptions = {}): Promise<number> {
    const checked = checkSelection(selection);
    const batchSize = checkBatchSize(options.batchSize);
    return walkInBatches(batchSize, (afterId) => republishSent(this.#db, this.table, checked, afterId, batchSize));
  }

  /** Deletes dead-lettered messages for good, in batches of `batchSize`. Returns how many. */
  async purgeDead(selection: MessageSelection, options: BatchOptions = {}): Promise<number> {
    const checked = checkSelection(selection);
    const batchSize = checkBatchSize(options.batchSize);
    let total = 0;
    for (;;) {
      const deleted = await purgeDead(this.#db, this.table, checked, batchSize);
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  /** How many sent messages match the selection (what {@link republishSent} would replay). */
  async countSent(selection: MessageSelection): Promise<number> {
    return countSent(this.#db, this.table, checkSelection(selection));
  }

  /** How many dead-lettered messages match the selection (what {@link requeueDead} / {@link purgeDead} would touch). */
  async countDead(selection: MessageSelection): Promise<number> {
    return countDead(this.#db, this.table, checkSelection(selection));
  }

  /** The most recently dead-lettered messages, newest first, without payloads. */
  async listDead(options: { limit?: number } = {}): Promise<DeadMessage[]> {
    const { limit = 100 } = options;
    checkInteger('limit', limit, { min: 1 });
    return listDead(this.#db, this.table, limit);
  }
}

function checkBatchSize(batchSize: number | undefined = 1000): number {
  return checkInteger('batchSize', batchSize, { min: 1 });
}

/** Runs `batch` after the greatest id of the previous one until a batch comes back short; returns the total. */
async function walkInBatches(batchSize: number, batch: (afterId: string | null) => Promise<string[]>): Promise<number> {
  let total = 0;
  let afterId: string | null = null;
  for (;;) {
    const ids = await batch(afterId);
    total += ids.length;
    if (ids.length < batchSize) return total;
    afterId = ids.reduce((max, id) => (id > max ? id : max));
  }
}
