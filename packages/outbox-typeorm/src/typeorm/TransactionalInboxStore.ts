import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { InboxLeaseLostError, InvalidOptionError, TransactionEndedError, handleOnce, type HandleOnceOptions, type HandleOnceResult, type InboxLease, type InboxRunOnceOptions, type InboxRunOnceResult } from '@tx-outbox/outbox-core';
import { checkDuration } from '@tx-outbox/outbox-core/internal';
import { completeInboxRecord } from '../postgres/inboxStore/completeInboxRecord.js';
import { insertDoneRecord } from '../postgres/inboxStore/insertDoneRecord.js';
import { ACQUIRE_ATTEMPTS, PostgresInboxStore } from '../postgres/inboxStore/PostgresInboxStore.js';
import { readInboxRecord } from '../postgres/inboxStore/readInboxRecord.js';
import { recordOutcome } from '../postgres/inboxStore/recordOutcome.js';
import type { TableLocation } from '../postgres/identifiers.js';
import { executorFromQueryRunner } from '../postgres/SqlExecutor.js';
import { checkSeams, resolveTransaction, seamDataSource, seamList } from '../transaction/resolveTransaction.js';
import type { TransactionSeam } from '../transaction/TransactionSeam.js';
import { typeormTransactionalSeam } from '../transaction/typeormTransactionalSeam.js';
import { transactionExecutor } from './transactionExecutor.js';

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
  /**
   * How long a delivery waits for the transaction of a concurrent copy of the same message (in the
   * database, on the uncommitted record) before it gives up and reports it in progress. Each waiting copy
   * holds a connection meanwhile.
   * @defaultValue `5000`
   */
  inProgressWaitMs?: number;
}

/** SQLSTATEs of a record write that waited too long for a concurrent copy: lock_not_available (lock_timeout), query_canceled (a role's statement_timeout). */
const WAITED_TOO_LONG = new Set(['55P03', '57014']);

/** Thrown inside the transaction to roll it back with a finding that is not an error. */
class Finding {
  constructor(readonly result: Exclude<InboxRunOnceResult<never>, { outcome: 'processed' }>) {}
}

/**
 * A `PostgresInboxStore` whose `handleOnce` gives an exactly-once effect for database work: the
 * handler runs in a transaction (joining the caller's, if one is open, through the first seam in
 * `transactions` that holds one) and the `done` record is written in that same transaction. If the
 * handler throws, or the process dies, the handler's writes and the `done` record roll back together
 * and the redelivery runs it again. The handler also receives the transaction's EntityManager.
 *
 * In its own transaction (no caller's transaction open, as under `SqsConsumer`), the record is written
 * `done` by the transaction's first statement and there is no `in_progress` lease: a concurrent copy of
 * the message waits for this transaction (up to `inProgressWaitMs`), then is a duplicate, or runs after
 * a rollback, or is told `MessageInProgressError`. Nothing is left behind when the consumer or the
 * database connection dies: the transaction rolls back with it. That costs one statement beside the
 * handler's (the transaction's BEGIN and COMMIT are the handler's anyway).
 *
 * When the caller's transaction is already open, the handler joins it: the `in_progress` lease is taken
 * first, in its own short commit, and the `done` record commits with the caller's transaction; if that
 * rolls back later, the record rolls back too (and, where the library reports rollbacks, as
 * typeorm-transactional does, the lease is freed at once; otherwise it expires). If the lease expired
 * and another instance took the message over, the late transaction rolls back with `InboxLeaseLostError`.
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
  private readonly inProgressWaitMs: number;

  /** @throws InvalidOptionError when no DataSource is given or known to a seam, or for a bad option. */
  constructor(options: TransactionalInboxStoreOptions = {}) {
    const connectionName = options.connectionName ?? 'default';
    if (typeof connectionName !== 'string' || connectionName.length === 0) {
      throw new InvalidOptionError('connectionName', 'a non-empty string', connectionName);
    }
    checkSeams(options.transactions);
    const inProgressWaitMs = checkDuration('inProgressWaitMs', options.inProgressWaitMs ?? 5_000, { min: 1 });
    const seams = seamList(options.transactions, () => typeormTransactionalSeam({ connectionName }));
    const dataSource = seamDataSource(options.dataSource, seams, connectionName);
    super({ dataSource, tableName: options.tableName, schema: options.schema });
    this.connectionName = connectionName;
    this.seams = seams;
    this.dataSource = dataSource;
    this.inProgressWaitMs = inProgressWaitMs;
  }

  /** `handleOnce` whose handler runs in the transaction of the `done` record and receives its EntityManager. */
  override handleOnce<T>(options: HandleOnceOptions, handler: (manager: EntityManager) => T | Promise<T>): Promise<HandleOnceResult<T>> {
    return handleOnce(this, options, (transaction) => handler(transaction as EntityManager));
  }

  /**
   * Writes the record `done` as the first statement of a transaction of its own, then runs `handler` in
   * it (see the class comment). Resolves `undefined` when a caller's transaction is open (handleOnce then
   * takes a lease and joins it through runAndComplete).
   */
  async runOnce<T>(options: InboxRunOnceOptions, handler: (manager: EntityManager) => Promise<T>): Promise<InboxRunOnceResult<T> | undefined> {
    const seam = this.ownTransactionSeam();
    if (seam === 'join') return undefined;
    const fingerprint = options.fingerprint ?? null;
    const run = async (queryRunner: QueryRunner): Promise<InboxRunOnceResult<T>> => {
      const db = transactionExecutor(queryRunner);
      const args = { consumer: options.consumer, messageId: options.messageId, ttlMs: options.ttlMs, fingerprint, waitMs: this.inProgressWaitMs };
      for (let attempt = 1; ; attempt++) {
        let written: boolean;
        try {
          written = await insertDoneRecord(db, this.table, args);
        } catch (error) {
          if (!WAITED_TOO_LONG.has((error as { code?: string })?.code ?? '')) throw error;
          throw new Finding({ outcome: 'in_progress', lockedUntil: new Date(Date.now() + options.leaseMs), retryAfterMs: options.leaseMs });
        }
        if (written) break;
        const record = await readInboxRecord(db, this.table, options.consumer, options.messageId);
        if (record || attempt >= ACQUIRE_ATTEMPTS) throw new Finding(recordOutcome(record, fingerprint));
      }
      const result = await handler(queryRunner.manager);
      if (queryRunner.isReleased || !queryRunner.isTransactionActive) throw new TransactionEndedError(this.connectionName);
      return { outcome: 'processed', result };
    };
    try {
      return await (seam === 'none' ? this.dataSource.transaction((manager) => run(manager.queryRunner!)) : seam.run(run));
    } catch (error) {
      if (error instanceof Finding) return error.result;
      throw error;
    }
  }

  /** Runs `handler`, then completes the record, in one transaction (see the class comment). */
  runAndComplete<T>(lease: InboxLease, ttlMs: number, handler: (manager: EntityManager) => Promise<T>): Promise<T> {
    const complete = async (queryRunner: QueryRunner): Promise<T> => {
      const result = await handler(queryRunner.manager);
      if (queryRunner.isReleased || !queryRunner.isTransactionActive) throw new TransactionEndedError(this.connectionName);
      if (!(await completeInboxRecord(executorFromQueryRunner(queryRunner), this.table, lease, ttlMs))) {
        throw new InboxLeaseLostError(lease.consumer, lease.messageId);
      }
      return result;
    };
    if (this.seams.length === 0) return this.dataSource.transaction((manager) => complete(manager.queryRunner!));
    const current = resolveTransaction(this.seams);
    const seam = current.found ? current.seam : this.seamToOpen(current);
    return seam.run(async (queryRunner) => {
      // When this joined the caller's transaction, it may still roll back after handleOnce returned:
      // free the lease then, so the redelivery need not wait for it to expire. Fenced by the token.
      seam.onRollback?.(() => void this.release(lease).catch(() => undefined));
      return complete(queryRunner);
    });
  }

  /**
   * Where runOnce opens its transaction: `'none'` for `dataSource.transaction()` (`transactions: []`),
   * a seam to open one with, or `'join'` when a seam already holds the caller's.
   */
  private ownTransactionSeam(): TransactionSeam | 'none' | 'join' {
    if (this.seams.length === 0) return 'none';
    const current = resolveTransaction(this.seams);
    return current.found ? 'join' : this.seamToOpen(current);
  }

  /**
   * The first seam that is set up and holds no transaction: the one to open a transaction with.
   * @throws TransactionEndedError when a seam's transaction lost its connection; InvalidOptionError when no
   *   seam is set up (a transaction of our own could commit the record beside a handler transaction we cannot see).
   */
  private seamToOpen(current: Exclude<ReturnType<typeof resolveTransaction>, { found: true }>): TransactionSeam {
    if (current.reason === 'ended') throw new TransactionEndedError(this.connectionName);
    if (current.reason === 'unavailable') {
      throw new InvalidOptionError('transactions', `a transaction library that is set up, or [] for none (${current.details.join('; ')})`, 'unavailable');
    }
    return this.seams.find((s) => {
      const lookup = s.current();
      return !lookup.found && lookup.reason === 'none';
    })!;
  }
}
