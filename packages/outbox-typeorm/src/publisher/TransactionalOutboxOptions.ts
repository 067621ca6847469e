import type { DataSource } from 'typeorm';
import { DEFAULT_MAX_MESSAGE_BYTES, InvalidOptionError } from '@tx-outbox/outbox-core';

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
   * Send `pg_notify` in the writing transaction so a LISTENing relay publishes right after commit.
   * @defaultValue `true`
   */
  notify?: boolean;
  /**
   * Run the insert as a named prepared statement on the transaction's connection, planned once per
   * connection instead of on every call (it roughly halves what `sendEvent` adds to a transaction).
   * Turn it off behind a pooler that cannot hold prepared statements, such as PgBouncer in
   * transaction mode before 1.21 (or without `max_prepared_statements`).
   * @defaultValue `true`
   */
  preparedStatements?: boolean;
  /**
   * Accept calls made outside a transaction by running a short transaction of the outbox's own.
   * Off by default, because such a message commits independently of your business writes.
   * @defaultValue `false`
   */
  allowOutsideTransaction?: boolean;
}

/** Per-call options of `sendEvent`/`sendEvents`. */
export interface SendEventOptions {
  /** Overrides the outbox's `allowOutsideTransaction` for this call. */
  allowOutsideTransaction?: boolean;
}

export const defaultOutboxOptions = {
  connectionName: 'default',
  tableName: 'outbox',
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  notify: true,
  preparedStatements: true,
  allowOutsideTransaction: false,
} satisfies Partial<TransactionalOutboxOptions>;

/** Validates every option but the table location (checked by `qualifiedTableName`). @throws InvalidOptionError */
export function checkOutboxOptions(options: TransactionalOutboxOptions): void {
  const { dataSource, connectionName, maxMessageBytes, notify, preparedStatements, allowOutsideTransaction } = options;
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
  if (maxMessageBytes !== undefined && (!Number.isInteger(maxMessageBytes) || maxMessageBytes <= 0)) {
    throw new InvalidOptionError('maxMessageBytes', 'a positive integer number of bytes', maxMessageBytes);
  }
  checkBoolean('notify', notify);
  checkBoolean('preparedStatements', preparedStatements);
  checkBoolean('allowOutsideTransaction', allowOutsideTransaction);
}

export function checkBoolean(option: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') throw new InvalidOptionError(option, 'true or false', value);
}
