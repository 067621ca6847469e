import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import {
  InboxLeaseLostError,
  InvalidOptionError,
  TransactionEndedError,
  handleOnce,
  type HandleOnceOptions,
  type HandleOnceResult,
  type InboxLease,
} from '@tx-outbox/outbox-core';
import { completeInboxRecord } from '../postgres/inboxStore/completeInboxRecord.js';
import { PostgresInboxStore } from '../postgres/inboxStore/PostgresInboxStore.js';
import type { TableLocation } from '../postgres/identifiers.js';
import { executorFromQueryRunner } from '../postgres/SqlExecutor.js';
import { checkSeams, resolveTransaction, seamDataSource, seamList } from '../transaction/resolveTransaction.js';
import type { TransactionSeam } from '../transaction/TransactionSeam.js';
import { typeormTransactionalSeam } from '../transaction/typeormTransactionalSeam.js';

/** Options of {@link TransactionalInboxStore}. */
export interface TransactionalInboxStoreOptions extends TableLocation {
  /**
   * The initialized postgres DataSource the inbox table lives in.
   * @defaultValue the data source the `transactions` seam knows (typeorm-transactional: the one under `connectionName`)
   */
  dataSource?: DataSource;
  /**
   * The name the DataSource was registered under, as in `@Transactional({ connectionName })`.
   * @defaultValue `'default'`
   */
  connectionName?: string;
  /**
   * Where the handler's transaction is found or opened: the same seams as the publisher's.
   * `[]` means no library: the store opens `dataSource.transaction()` and hands the handler its manager.
   * @defaultValue `typeormTransactionalSeam({ connectionName })`
   */
  transactions?: TransactionSeam | readonly TransactionSeam[];
}

/**
 * A `PostgresInboxStore` whose `handleOnce` gives an exactly-once effect for database work: the
 * handler runs in a transaction (joining the caller's, if one is open, through the first seam in
 * `transactions` that holds one) and the `done` record is written in that same transaction. If the
 * handler throws, or the process dies, the handler's writes and the `done` record roll back together
 * and the redelivery runs it again. The handler also receives the transaction's EntityManager.
 *
 * The `in_progress` lease is taken before the transaction, in its own short commit, so a concurrent
 * duplicate is told `MessageInProgressError` at once instead of waiting on a row lock. If the lease
 * expired and another instance took the message over, the late transaction rolls back with
 * `InboxLeaseLostError`. When the caller's transaction is already open, the handler joins it and the
 * `done` record commits with it; if it rolls back later, the record rolls back too (and, where the
 * library reports rollbacks, as typeorm-transactional does, the lease is freed at once; otherwise it expires).
 *
 * Effects outside the database (an HTTP call, an email) are not rolled back; they can repeat when a
 * handler fails after performing them.
 *
 * @example
 * ```ts
 * const inbox = new TransactionalInboxStore({ dataSource });
 * await inbox.handleOnce({ consumer: 'billing', messageId, payload: body }, async () => {
 *   await paymentRepository.save(payment); // same transaction as the inbox record
 * });
 * ```
 */
export class TransactionalInboxStore extends PostgresInboxStore {
  private readonly connectionName: string;
  private readonly seams: readonly TransactionSeam[];
  private readonly dataSource: DataSource;
  /** The handler's EntityManager, per handleOnce call. */
  private readonly managers = new AsyncLocalStorage<EntityManager>();

  /** @throws InvalidOptionError when no DataSource is given or known to a seam, or for a bad option. */
  constructor(options: TransactionalInboxStoreOptions = {}) {
    const connectionName = options.connectionName ?? 'default';
    if (typeof connectionName !== 'string' || connectionName.length === 0) {
      throw new InvalidOptionError('connectionName', 'a non-empty string', connectionName);
    }
    checkSeams(options.transactions);
    const seams = seamList(options.transactions, () => typeormTransactionalSeam({ connectionName }));
    const dataSource = seamDataSource(options.dataSource, seams, connectionName);
    super({ dataSource, tableName: options.tableName, schema: options.schema });
    this.connectionName = connectionName;
    this.seams = seams;
    this.dataSource = dataSource;
  }

  /** `handleOnce` whose handler runs in the transaction of the `done` record and receives its EntityManager. */
  override handleOnce<T>(options: HandleOnceOptions, handler: (manager: EntityManager) => T | Promise<T>): Promise<HandleOnceResult<T>> {
    return handleOnce(this, options, () => handler(this.managers.getStore()!));
  }

  /** Runs `handler`, then completes the record, in one transaction (see the class comment). */
  runAndComplete<T>(lease: InboxLease, ttlMs: number, handler: () => Promise<T>): Promise<T> {
    const complete = async (queryRunner: QueryRunner): Promise<T> => {
      const result = await this.managers.run(queryRunner.manager, handler);
      if (queryRunner.isReleased || !queryRunner.isTransactionActive) throw new TransactionEndedError(this.connectionName);
      if (!(await completeInboxRecord(executorFromQueryRunner(queryRunner), this.table, lease, ttlMs))) {
        throw new InboxLeaseLostError(lease.consumer, lease.messageId);
      }
      return result;
    };
    if (this.seams.length === 0) return this.dataSource.transaction((manager) => complete(manager.queryRunner!));
    const current = resolveTransaction(this.seams);
    if (!current.found && current.reason === 'ended') throw new TransactionEndedError(this.connectionName);
    if (!current.found && current.reason === 'unavailable') {
      // Opening a transaction of our own could leave the record committed beside a handler transaction we cannot see.
      throw new InvalidOptionError('transactions', `a transaction library that is set up, or [] for none (${current.details.join('; ')})`, 'unavailable');
    }
    // Join the seam that holds a transaction, else open one with the first seam that is set up.
    const seam = current.found ? current.seam : this.seams.find((s) => { const l = s.current(); return !l.found && l.reason === 'none'; })!;
    return seam.run(async (queryRunner) => {
      // When this joined the caller's transaction, it may still roll back after handleOnce returned:
      // free the lease then, so the redelivery need not wait for it to expire. Fenced by the token.
      seam.onRollback?.(() => void this.release(lease).catch(() => undefined));
      return complete(queryRunner);
    });
  }
}

/** @deprecated Renamed {@link TransactionalInboxStore}; this alias goes in the next minor version. */
export const TransactionalDedupStore = TransactionalInboxStore;
/** @deprecated Renamed {@link TransactionalInboxStore}. */
export type TransactionalDedupStore = TransactionalInboxStore;
/** @deprecated Renamed {@link TransactionalInboxStoreOptions}. */
export type TransactionalDedupStoreOptions = TransactionalInboxStoreOptions;
