import type { DataSource } from 'typeorm';
import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { checkBoolean, checkInteger, DEFAULT_MAX_MESSAGE_BYTES } from '@tx-outbox/outbox-core/internal';
import type { ExplicitTransaction } from '../transaction/explicitTransaction.js';
import { checkSeams } from '../transaction/resolveTransaction.js';
import type { TransactionSeam } from '../transaction/TransactionSeam.js';

/** Options of `new TransactionalOutbox(options)`. */
export interface TransactionalOutboxOptions {
  /**
   * The DataSource whose outbox table receives the messages. Only needed for
   * `allowOutsideTransaction` when the DataSource was not registered with `addTransactionalDataSource`;
   * if given, it must be the one registered under `connectionName`.
   * @defaultValue the data source typeorm-transactional knows under `connectionName`
   */
  dataSource?: DataSource;
  /**
   * Where the current transaction is found: one seam per transaction library your code uses, asked
   * in order. Use `clsTransactionSeam(txHost)` for `@nestjs-cls/transactional`.
   * @defaultValue `typeormTransactionalSeam({ connectionName })` (typeorm-transactional, loaded only when used)
   */
  transactions?: TransactionSeam | readonly TransactionSeam[];
  /**
   * Name the DataSource was registered under with `addTransactionalDataSource({ name, dataSource })`;
   * the same value you pass to `@Transactional({ connectionName })`.
   * @defaultValue `'default'`
   */
  connectionName?: string;
  /** @defaultValue `'outbox'` */
  tableName?: string;
  /** @defaultValue the connection's search_path (usually `public`) */
  schema?: string;
  /**
   * Largest message accepted, counted as the broker counts it (body, headers, outbox attributes).
   * @defaultValue 262144 (256 KiB, the SNS and SQS limit)
   */
  maxMessageBytes?: number;
  /**
   * Wake the LISTENing relays when the writing transaction commits, so they publish within
   * milliseconds instead of on their poll. The NOTIFY is sent after the commit, on a pooled connection
   * of the DataSource, at most one in flight: nothing is added to your transaction (a NOTIFY inside it
   * would take PostgreSQL's instance-wide notification lock in your commit).
   * @defaultValue `true`
   */
  notify?: boolean;
  /**
   * Run the insert as a named prepared statement on the transaction's connection, planned once per
   * connection instead of on every call (it saves a few tenths of a millisecond per `sendEvent`; see
   * BENCHMARKS.md). Off by default because a transaction-mode pooler (PgBouncer before 1.21 or without
   * `max_prepared_statements`, RDS Proxy, Supavisor) hands the next transaction another server
   * connection, where the name is unknown or already taken: every business transaction that sends an
   * event would fail (`26000`/`42P05`) until the pooler recycled its connections. Turn it on only
   * when the application talks to PostgreSQL directly or through a session-mode pool.
   * @defaultValue `false`
   */
  preparedStatements?: boolean;
  /**
   * Accept calls made outside a transaction by running a short transaction of the outbox's own.
   * Off by default, because such a message commits independently of your business writes. A
   * transaction any seam reports is always joined; the own transaction is taken only when every seam
   * says there is none (and at least one of them is set up), so it is safe exactly when every library
   * that opens transactions in your process is among `transactions`.
   * @defaultValue `false`
   */
  allowOutsideTransaction?: boolean;
}

/**
 * Per-call options of `sendEvent`/`sendEvents`. `manager` (or `queryRunner`) hands the outbox the
 * transaction explicitly; it must be in an active transaction (else `InactiveTransactionError`).
 */
export interface SendEventOptions extends ExplicitTransaction {
  /** Overrides the outbox's `allowOutsideTransaction` for this call. */
  allowOutsideTransaction?: boolean;
}

export const defaultOutboxOptions = {
  connectionName: 'default',
  tableName: 'outbox',
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  notify: true,
  preparedStatements: false,
  allowOutsideTransaction: false,
} satisfies Partial<TransactionalOutboxOptions>;

/** Validates every option but the table location (checked by `qualifiedTableName`). @throws InvalidOptionError */
export function checkOutboxOptions(options: TransactionalOutboxOptions): void {
  const { dataSource, connectionName, maxMessageBytes, notify, preparedStatements, allowOutsideTransaction, transactions } = options;
  checkSeams(transactions);
  if (dataSource !== undefined) {
    if (dataSource === null || typeof dataSource !== 'object' || typeof dataSource.transaction !== 'function') {
      throw new InvalidOptionError('dataSource', 'a TypeORM DataSource', dataSource);
    }
    if (dataSource.options?.type !== 'postgres') {
      throw new InvalidOptionError('dataSource', 'a DataSource of type "postgres"', dataSource.options?.type);
    }
  }
  if (connectionName !== undefined && (typeof connectionName !== 'string' || connectionName === '')) {
    throw new InvalidOptionError('connectionName', 'a non-empty string', connectionName);
  }
  if (maxMessageBytes !== undefined) checkInteger('maxMessageBytes', maxMessageBytes, { min: 1 });
  for (const [option, value] of Object.entries({ notify, preparedStatements, allowOutsideTransaction })) {
    if (value !== undefined) checkBoolean(option, value);
  }
}
