import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { prepareMessages } from '@tx-outbox/outbox-core/internal';
import type { OutboxMessageInput } from '@tx-outbox/outbox-core';
import { insertMessages, insertStatements } from '../publisher/insertMessages.js';
import { checkOutboxOptions, defaultOutboxOptions } from '../publisher/TransactionalOutboxOptions.js';
import { notifyChannel, notifyStatement, qualifiedTableName, type TableLocation } from './identifiers.js';

/** Anything that runs `query(text, values)`: a pg `Client` (or `PoolClient`) inside your own BEGIN … COMMIT. */
export interface QueryExecutor {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Options of {@link insertOutboxMessages}. */
export interface InsertOutboxMessagesOptions extends TableLocation {
  /** @defaultValue 262144 (256 KiB, the SNS and SQS limit) */
  maxMessageBytes?: number;
}

/**
 * The publisher for teams without TypeORM: validates the messages exactly as `sendEvent` does, then
 * inserts them through `executor`, in whatever transaction it is in. Run it on the client that holds
 * your BEGIN … COMMIT: the messages commit or roll back with your writes. On a `Pool` (no transaction)
 * each call commits on its own. It adds nothing to your transaction but the rows; to have the relays
 * publish within milliseconds rather than on their poll, call {@link wakeRelays} after your COMMIT.
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
 * await wakeRelays(pool);
 * ```
 */
export async function insertOutboxMessages(
  executor: QueryExecutor,
  messages: readonly OutboxMessageInput[],
  options: InsertOutboxMessagesOptions = {},
): Promise<string[]> {
  checkExecutor(executor);
  if ((options as { notify?: unknown }).notify !== undefined) {
    throw new InvalidOptionError('notify', 'left out: insertOutboxMessages sends no NOTIFY in your transaction; call wakeRelays(pool) after your COMMIT', (options as { notify?: unknown }).notify);
  }
  checkOutboxOptions(options);
  const { tableName, maxMessageBytes } = defaultOutboxOptions;
  const statements = insertStatements(qualifiedTableName(options, tableName));
  const prepared = prepareMessages(messages, { maxMessageBytes: options.maxMessageBytes ?? maxMessageBytes });
  if (prepared.length === 0) return [];
  const db = { query: async (text: string, values?: readonly unknown[]) => { await executor.query(text, values as unknown[]); return { rows: [], rowCount: 0 }; } };
  await insertMessages(db, statements, prepared, false);
  return prepared.map((m) => m.id);
}

/**
 * Wakes the relays listening for the outbox at `location`: one `NOTIFY`, its own short transaction.
 * Call it on a pool (or any client not in a transaction) after the COMMIT of the transaction that
 * inserted messages. Never inside that transaction: a NOTIFY held there takes PostgreSQL's
 * instance-wide notification lock at your commit and serializes your commits.
 */
export async function wakeRelays(executor: QueryExecutor, location: TableLocation = {}): Promise<void> {
  checkExecutor(executor);
  await executor.query(notifyStatement(notifyChannel(location, defaultOutboxOptions.tableName)));
}

function checkExecutor(executor: QueryExecutor): void {
  if (!executor || typeof executor.query !== 'function') {
    throw new InvalidOptionError('executor', 'an object with query(text, values), such as a pg Client', executor);
  }
}
