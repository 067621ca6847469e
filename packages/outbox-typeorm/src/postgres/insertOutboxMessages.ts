import { InvalidOptionError, prepareMessages } from '@tx-outbox/outbox-core';
import type { OutboxMessageInput } from '@tx-outbox/outbox-core';
import { insertMessages, insertStatement } from '../publisher/insertMessages.js';
import { checkOutboxOptions, defaultOutboxOptions } from '../publisher/TransactionalOutboxOptions.js';
import { notifyChannel, qualifiedTableName, type TableLocation } from './identifiers.js';

/** Anything that runs `query(text, values)`: a pg `Client` (or `PoolClient`) inside your own BEGIN … COMMIT. */
export interface QueryExecutor {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Options of {@link insertOutboxMessages}. */
export interface InsertOutboxMessagesOptions extends TableLocation {
  /** @defaultValue 262144 (256 KiB, the SNS and SQS limit) */
  maxMessageBytes?: number;
  /** Send `pg_notify` in the same transaction so a LISTENing relay publishes right after commit. @defaultValue `true` */
  notify?: boolean;
}

/**
 * The publisher for teams without TypeORM: validates the messages exactly as `sendEvent` does, then
 * inserts them (and the NOTIFY) through `executor`, in whatever transaction it is in. Run it on the
 * client that holds your BEGIN … COMMIT: the messages commit or roll back with your writes. On a
 * `Pool` (no transaction) each call commits on its own.
 * @returns the new message ids (uuid v7), in order.
 * @throws InvalidMessageError before anything is written; InvalidOptionError / InvalidIdentifierError for bad options.
 * @example
 * ```ts
 * const client = await pool.connect();
 * try {
 *   await client.query('BEGIN');
 *   await client.query('INSERT INTO orders (id, total) VALUES ($1, $2)', [order.id, order.total]);
 *   await insertOutboxMessages(client, [{ subject: 'order.placed', body: order }]);
 *   await client.query('COMMIT');
 * } catch (error) {
 *   await client.query('ROLLBACK');
 *   throw error;
 * } finally {
 *   client.release();
 * }
 * ```
 */
export async function insertOutboxMessages(
  executor: QueryExecutor,
  messages: readonly OutboxMessageInput[],
  options: InsertOutboxMessagesOptions = {},
): Promise<string[]> {
  if (!executor || typeof executor.query !== 'function') {
    throw new InvalidOptionError('executor', 'an object with query(text, values), such as a pg Client', executor);
  }
  checkOutboxOptions(options);
  const { tableName, maxMessageBytes, notify } = defaultOutboxOptions;
  const table = qualifiedTableName(options, tableName);
  const prepared = prepareMessages(messages, { maxMessageBytes: options.maxMessageBytes ?? maxMessageBytes });
  await insertMessages(
    { query: async (text, values) => { await executor.query(text, values as unknown[]); return { rows: [], rowCount: 0 }; } },
    insertStatement(table),
    prepared,
    { notifyChannel: (options.notify ?? notify) ? notifyChannel(options, tableName) : null, prepared: false },
  );
  return prepared.map((m) => m.id);
}
