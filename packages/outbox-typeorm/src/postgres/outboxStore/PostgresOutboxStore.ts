import {
  type ClaimOptions,
  type DeadMark,
  InvalidOptionError,
  type OutboxMessage,
  type OutboxStats,
  type OutboxStore,
  type RetryMark,
} from '@tx-outbox/outbox-core';
import { type DataSourceLike, type PgQueryable, type SqlExecutor } from '../SqlExecutor.js';
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
import { type ListenClient, NotifyListener } from './NotifyListener.js';
import { purgeDead } from './purgeDead.js';
import { readStats } from './readStats.js';
import { releaseMessages } from './releaseMessages.js';
import { republishSent } from './republishSent.js';
import { requeueDead } from './requeueDead.js';

/** What a pg `Pool` looks like to the store: queries, plus `connect()` for the LISTEN connection. */
export interface PgPoolLike extends PgQueryable {
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
   * Told when the LISTEN connection is lost or a reconnect fails (the relay keeps polling meanwhile).
   * @defaultValue emits a Node process warning
   */
  onListenError?: (error: Error) => void;
}

/** How an operator's operation over many messages runs. */
export interface BatchOptions {
  /** Rows per statement: each batch is its own short transaction. @defaultValue 1000 */
  batchSize?: number;
}

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

  constructor(options: PostgresOutboxStoreOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'an object', options);
    const { onListenError } = options;
    const source = poolSource(options, { pool: 'a pg Pool (with query() and connect())', needsConnect: true });
    if (onListenError !== undefined && typeof onListenError !== 'function') {
      throw new InvalidOptionError('onListenError', 'a function', onListenError);
    }
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
    if (!Number.isInteger(options.limit) || options.limit < 0) throw new InvalidOptionError('limit', 'an integer ≥ 0', options.limit);
    if (!Number.isFinite(options.leaseMs) || options.leaseMs <= 0) throw new InvalidOptionError('leaseMs', 'a number > 0', options.leaseMs);
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

  async release(relayId: string, ids: readonly string[]): Promise<number> {
    return ids.length === 0 ? 0 : releaseMessages(this.#db, this.table, relayId, ids);
  }

  async stats(): Promise<OutboxStats> {
    return readStats(this.#db, this.table);
  }

  /**
   * LISTENs on {@link channel} over a dedicated pool connection (held until unsubscribed) and calls
   * `onWake` on each notification, and after each reconnect. Rejects if the first LISTEN fails.
   */
  async subscribe(onWake: () => void): Promise<() => Promise<void>> {
    if (typeof onWake !== 'function') throw new InvalidOptionError('onWake', 'a function', onWake);
    const listener = new NotifyListener({
      connect: () => this.#pool().connect(),
      channel: this.channel,
      onWake,
      onError: this.#onListenError,
    });
    await listener.start();
    return () => listener.stop();
  }

  /**
   * Retention: deletes messages sent more than `olderThanMs` ago, `batchSize` rows per statement,
   * until none are left. Dead and pending messages are never touched. Returns the number deleted.
   */
  async deleteSent(options: DeleteSentOptions): Promise<number> {
    const { olderThanMs, batchSize = 1000 } = options;
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) throw new InvalidOptionError('olderThanMs', 'a number ≥ 0', olderThanMs);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidOptionError('batchSize', 'an integer ≥ 1', batchSize);
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
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidOptionError('limit', 'an integer ≥ 1', limit);
    return listDead(this.#db, this.table, limit);
  }
}

function checkBatchSize(batchSize: number | undefined = 1000): number {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidOptionError('batchSize', 'an integer ≥ 1', batchSize);
  return batchSize;
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
