import type { DataSource, QueryRunner } from 'typeorm';
import { InvalidOptionError, OutboxNotInTransactionError, TransactionEndedError } from '@tx-outbox/outbox-core';
import { checkBoolean, stampMessages, validateMessages, withoutUndefined } from '@tx-outbox/outbox-core/internal';
import type { EventContract, OutboxMessageInput } from '@tx-outbox/outbox-core';
import type { ValidatedMessage } from '@tx-outbox/outbox-core/internal';
import { notifyChannel, qualifiedTableName } from '../postgres/identifiers.js';
import { executorFromQueryRunner } from '../postgres/SqlExecutor.js';
import { dataSourceOf } from '../transaction/dataSourceOf.js';
import { explicitQueryRunner } from '../transaction/explicitTransaction.js';
import { resolveTransaction, seamDataSource, seamList } from '../transaction/resolveTransaction.js';
import type { TransactionSeam } from '../transaction/TransactionSeam.js';
import { typeormTransactionalSeam } from '../transaction/typeormTransactionalSeam.js';
import { type InsertStatements, insertMessages, insertStatements } from './insertMessages.js';
import { notInTransactionMessage } from './notInTransactionMessage.js';
import { wakeUpOnCommit } from './wakeUpOnCommit.js';
import { TypedOutbox } from './TypedOutbox.js';
import {
  checkOutboxOptions,
  defaultOutboxOptions,
  type SendEventOptions,
  type TransactionalOutboxOptions,
} from './TransactionalOutboxOptions.js';

/**
 * The publisher: writes events to the outbox table in the transaction of the current call (found
 * through the `transactions` seams, typeorm-transactional by default, or given as `{ manager }`),
 * so they commit or roll back with your business writes. A relay
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
  private readonly insert: InsertStatements;
  private lastWakeUpWarning = 0;
  private readonly channel: string;
  private readonly options: TransactionalOutboxOptions & Required<Pick<TransactionalOutboxOptions, keyof typeof defaultOutboxOptions>>;
  private readonly seams: readonly TransactionSeam[];

  /** @throws InvalidIdentifierError for a bad `tableName`/`schema`; InvalidOptionError for any other bad option. */
  constructor(options: TransactionalOutboxOptions = {}) {
    checkOutboxOptions(options);
    this.options = { ...defaultOutboxOptions, ...withoutUndefined(options) };
    this.insert = insertStatements(qualifiedTableName(this.options, defaultOutboxOptions.tableName));
    this.channel = notifyChannel(this.options, defaultOutboxOptions.tableName);
    this.seams = seamList(this.options.transactions, () => typeormTransactionalSeam({ connectionName: this.options.connectionName }));
  }

  /**
   * Validates one message and inserts it in the current transaction.
   * @returns the new message id (uuid v7), published as the `outbox-message-id` attribute.
   * @throws InvalidMessageError (NonSerializableBodyError, MessageTooLargeError) before anything is written;
   *   OutboxNotInTransactionError when there is no transaction to join and `allowOutsideTransaction` is off;
   *   InactiveTransactionError when the given `manager`/`queryRunner` is not in an active transaction.
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
    if (options?.allowOutsideTransaction !== undefined) checkBoolean('allowOutsideTransaction', options.allowOutsideTransaction);
    // Validated in full here; ids and trace context (the `create` spans) only in write(), once the
    // call is accepted: a refused call leaves no row and no span.
    const validated = validateMessages(messages, { maxMessageBytes: this.options.maxMessageBytes });

    const explicit = explicitQueryRunner(options);
    if (explicit) return this.write(explicit, validated);
    const current = resolveTransaction(this.seams);
    if (current.found) {
      this.checkSameDataSource(current.queryRunner);
      return this.write(current.queryRunner, validated);
    }
    // Never fall back to an own transaction here: the business writes this call belonged to may be rolled back.
    if (current.reason === 'ended') throw new TransactionEndedError(this.options.connectionName);
    if (!(options?.allowOutsideTransaction ?? this.options.allowOutsideTransaction)) {
      throw new OutboxNotInTransactionError(notInTransactionMessage(this.seams, current.reason === 'unavailable' ? current.details : undefined));
    }
    // No seam could answer: a transaction may be open in a library we cannot see, so an own one could be a phantom.
    if (current.reason === 'unavailable') throw new OutboxNotInTransactionError(notInTransactionMessage(this.seams, current.details));
    if (validated.length === 0) return [];
    return this.ownDataSource().transaction(async (manager) => this.write(manager.queryRunner!, validated));
  }

  /**
   * This outbox typed by an event contract: `sendEvent` narrows `body` by `subject` and checks it
   * against the subject's schema before writing (see {@link TypedOutbox}).
   */
  typed<C extends EventContract>(contract: C): TypedOutbox<C> {
    return new TypedOutbox(this, contract);
  }

  /**
   * Stamps the accepted messages (ids, trace context) and inserts them; returns their ids. With `notify`,
   * the relays are woken once the transaction commits (never inside it: wakeUpOnCommit.ts).
   */
  private async write(queryRunner: QueryRunner, validated: readonly ValidatedMessage[]): Promise<string[]> {
    if (validated.length === 0) return [];
    const prepared = stampMessages(validated);
    await insertMessages(executorFromQueryRunner(queryRunner), this.insert, prepared, this.options.preparedStatements);
    if (this.options.notify) wakeUpOnCommit(queryRunner, this.channel, (error) => this.warnWakeUpFailed(error));
    return prepared.map((m) => m.id);
  }

  /** A failed wake-up costs latency, not messages (the relays poll): a warning at most once a minute. */
  private warnWakeUpFailed(error: unknown): void {
    if (Date.now() - this.lastWakeUpWarning < 60_000) return;
    this.lastWakeUpWarning = Date.now();
    process.emitWarning(`tx-outbox could not wake the relays after a commit (they publish on their poll interval meanwhile): ${(error as Error)?.message ?? String(error)}`, 'TxOutboxWakeUpWarning');
  }

  private checkSameDataSource(queryRunner: QueryRunner): void {
    const { dataSource, connectionName } = this.options;
    if (dataSource && dataSourceOf(queryRunner) !== dataSource) {
      throw new InvalidOptionError(
        'connectionName',
        'the name the given dataSource was registered under with addTransactionalDataSource',
        connectionName,
      );
    }
  }

  private ownDataSource(): DataSource {
    return seamDataSource(this.options.dataSource, this.seams, this.options.connectionName);
  }
}
