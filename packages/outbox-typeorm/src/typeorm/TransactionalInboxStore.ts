import type { DataSource } from 'typeorm';
import { Propagation, getDataSourceByName, runInTransaction, runOnTransactionRollback } from 'typeorm-transactional';
import { InboxLeaseLostError, InvalidOptionError, TransactionEndedError, type InboxLease } from '@tx-outbox/outbox-core';
import { completeInboxRecord } from '../postgres/inboxStore/completeInboxRecord.js';
import { PostgresInboxStore } from '../postgres/inboxStore/PostgresInboxStore.js';
import type { TableLocation } from '../postgres/identifiers.js';
import { executorFromQueryRunner } from '../postgres/SqlExecutor.js';
import { currentTransaction } from '../publisher/currentTransaction.js';

/** Options of {@link TransactionalInboxStore}. */
export interface TransactionalInboxStoreOptions extends TableLocation {
  /**
   * The initialized postgres DataSource registered with `addTransactionalDataSource`.
   * @defaultValue the data source typeorm-transactional knows under `connectionName`
   */
  dataSource?: DataSource;
  /**
   * The name the DataSource was registered under, as in `@Transactional({ connectionName })`.
   * @defaultValue `'default'`
   */
  connectionName?: string;
}

/**
 * A `PostgresInboxStore` whose `handleOnce` gives an exactly-once effect for database work: the
 * handler runs in a typeorm-transactional transaction (joining the caller's, if one is open) and the
 * `done` record is written in that same transaction. If the handler throws, or the process dies,
 * the handler's writes and the `done` record roll back together and the redelivery runs it again.
 *
 * The `in_progress` lease is taken before the transaction, in its own short commit, so a concurrent
 * duplicate is told `MessageInProgressError` at once instead of waiting on a row lock. If the lease
 * expired and another instance took the message over, the late transaction rolls back with
 * `InboxLeaseLostError`. When the caller's transaction is already open (`@Transactional()`), the
 * handler joins it (Propagation.REQUIRED) and the `done` record commits with it; if it rolls back
 * later, the lease is released so the redelivery runs the handler again.
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

  /** @throws InvalidOptionError when no DataSource is given or registered under `connectionName`. */
  constructor(options: TransactionalInboxStoreOptions = {}) {
    const connectionName = options.connectionName ?? 'default';
    if (typeof connectionName !== 'string' || connectionName.length === 0) {
      throw new InvalidOptionError('connectionName', 'a non-empty string', connectionName);
    }
    const dataSource = options.dataSource ?? getDataSourceByName(connectionName);
    if (!dataSource) {
      throw new InvalidOptionError(
        'dataSource',
        `a DataSource, or one registered with addTransactionalDataSource under the name "${connectionName}"`,
        dataSource,
      );
    }
    super({ dataSource, tableName: options.tableName, schema: options.schema });
    this.connectionName = connectionName;
  }

  /** Runs `handler`, then completes the record, in one transaction (see the class comment). */
  runAndComplete<T>(lease: InboxLease, ttlMs: number, handler: () => Promise<T>): Promise<T> {
    return runInTransaction(
      async () => {
        // When this joined the caller's transaction, it may still roll back after handleOnce returned:
        // free the lease then, so the redelivery need not wait for it to expire. Fenced by the token.
        runOnTransactionRollback(() => void this.release(lease).catch(() => undefined));
        const result = await handler();
        const current = currentTransaction(this.connectionName);
        if (!current.found && current.reason === 'ended') throw new TransactionEndedError(this.connectionName);
        if (!current.found) {
          throw new InvalidOptionError('connectionName', 'the name the DataSource was registered under with addTransactionalDataSource', this.connectionName);
        }
        if (!(await completeInboxRecord(executorFromQueryRunner(current.queryRunner), this.table, lease, ttlMs))) {
          throw new InboxLeaseLostError(lease.consumer, lease.messageId);
        }
        return result;
      },
      { connectionName: this.connectionName, propagation: Propagation.REQUIRED },
    );
  }
}

/** @deprecated Renamed {@link TransactionalInboxStore}; this alias goes in the next minor version. */
export const TransactionalDedupStore = TransactionalInboxStore;
/** @deprecated Renamed {@link TransactionalInboxStore}. */
export type TransactionalDedupStore = TransactionalInboxStore;
/** @deprecated Renamed {@link TransactionalInboxStoreOptions}. */
export type TransactionalDedupStoreOptions = TransactionalInboxStoreOptions;
