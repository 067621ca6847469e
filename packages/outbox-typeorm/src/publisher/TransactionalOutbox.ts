import type { DataSource, QueryRunner } from 'typeorm';
import { getDataSourceByName } from 'typeorm-transactional';
import { InvalidMessageError, InvalidOptionError, OutboxNotInTransactionError, TransactionEndedError, prepareMessage } from '@tx-outbox/outbox-core';
import type { OutboxMessageInput, PreparedMessage } from '@tx-outbox/outbox-core';
import { notifyChannel, qualifiedTableName } from '../postgres/identifiers.js';
import { executorFromQueryRunner } from '../postgres/SqlExecutor.js';
import { currentTransaction } from './currentTransaction.js';
import { type InsertStatement, insertMessages, insertStatement } from './insertMessages.js';
import {
  checkBoolean,
  checkOutboxOptions,
  defaultOutboxOptions,
  type SendEventOptions,
  type TransactionalOutboxOptions,
} from './TransactionalOutboxOptions.js';

/**
 * The publisher: writes events to the outbox table through the transaction typeorm-transactional
 * holds for the current call, so they commit or roll back with your business writes. A relay
 * publishes them after commit. It never talks to the broker.
 *
 * @example
 * ```ts
 * const outbox = new TransactionalOutbox();
 *
 * class PaymentService {
 *   @Transactional()
 *   async pay(payment: Payment) {
 *     await this.payments.save(payment);
 *     await outbox.sendEvent({ subject: 'payment.created', body: { id: payment.id }, groupKey: payment.accountId });
 *   }
 * }
 * ```
 */
export class TransactionalOutbox {
  private readonly insert: InsertStatement;
  private readonly channel: string;
  private readonly options: TransactionalOutboxOptions & typeof defaultOutboxOptions;

  /** @throws InvalidIdentifierError for a bad `tableName`/`schema`; InvalidOptionError for any other bad option. */
  constructor(options: TransactionalOutboxOptions = {}) {
    checkOutboxOptions(options);
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.options = { ...defaultOutboxOptions, ...defined };
    this.insert = insertStatement(qualifiedTableName(this.options, defaultOutboxOptions.tableName));
    this.channel = notifyChannel(this.options, defaultOutboxOptions.tableName);
  }

  /**
   * Validates one message and inserts it in the current transaction.
   * @returns the new message id (uuid v7), published as the `outbox-message-id` attribute.
   * @throws InvalidMessageError (NonSerializableBodyError, MessageTooLargeError) before anything is written;
   *   OutboxNotInTransactionError when there is no transaction to join and `allowOutsideTransaction` is off.
   */
  async sendEvent(message: OutboxMessageInput, options?: SendEventOptions): Promise<string> {
    const [id] = await this.sendEvents([message], options);
    return id!;
  }

  /**
   * Validates all messages, then inserts them in the current transaction in one statement (per
   * 1000 messages), in the given order. One invalid message refuses the whole call; nothing is written.
   * @returns the new message ids, in the order of `messages`.
   */
  async sendEvents(messages: readonly OutboxMessageInput[], options: SendEventOptions = {}): Promise<string[]> {
    if (!Array.isArray(messages)) {
      throw new InvalidMessageError('messages', `sendEvents expects an array of messages, got ${typeof messages}.`);
    }
    checkBoolean('allowOutsideTransaction', options?.allowOutsideTransaction);
    const { maxMessageBytes } = this.options;
    const prepared = messages.map((message) => prepareMessage(message, { maxMessageBytes }));
    const ids = prepared.map((m) => m.id);

    const current = currentTransaction(this.options.connectionName);
    if (current.found) {
      this.checkSameDataSource(current.queryRunner);
      await this.write(current.queryRunner, prepared);
      return ids;
    }
    // Never fall back to an own transaction here: the business writes this call belonged to may be rolled back.
    if (current.reason === 'ended') throw new TransactionEndedError(this.options.connectionName);
    if (!(options?.allowOutsideTransaction ?? this.options.allowOutsideTransaction)) {
      throw new OutboxNotInTransactionError(current.reason === 'not-initialized' ? notInitializedMessage : undefined);
    }
    if (prepared.length > 0) {
      await this.ownDataSource().transaction(async (manager) => this.write(manager.queryRunner!, prepared));
    }
    return ids;
  }

  private async write(queryRunner: QueryRunner, prepared: readonly PreparedMessage[]): Promise<void> {
    if (prepared.length === 0) return;
    const executor = executorFromQueryRunner(queryRunner);
    await insertMessages(executor, this.insert, prepared, {
      notifyChannel: this.options.notify ? this.channel : null,
      prepared: this.options.preparedStatements,
    });
  }

  private checkSameDataSource(queryRunner: QueryRunner): void {
    const { dataSource, connectionName } = this.options;
    if (dataSource && queryRunner.connection !== dataSource) {
      throw new InvalidOptionError(
        'connectionName',
        'the name the given dataSource was registered under with addTransactionalDataSource',
        connectionName,
      );
    }
  }

  private ownDataSource(): DataSource {
    const { dataSource, connectionName } = this.options;
    const found = dataSource ?? getDataSourceByName(connectionName);
    if (!found) {
      throw new InvalidOptionError(
        'dataSource',
        `a DataSource, or one registered with addTransactionalDataSource under the name "${connectionName}"`,
        undefined,
      );
    }
    return found;
  }
}

const notInitializedMessage =
  'outbox.sendEvent() found no transaction because typeorm-transactional is not initialized. Call ' +
  'initializeTransactionalContext() and addTransactionalDataSource(dataSource) at startup, then call sendEvent ' +
  'from a method decorated with @Transactional(), or pass { allowOutsideTransaction: true }.';
