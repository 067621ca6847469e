import { OutboxError } from '@tx-outbox/outbox-core';

/** A `manager`/`queryRunner` was passed explicitly but is not in an active transaction; nothing was written. */
export class InactiveTransactionError extends OutboxError {
  constructor(given: 'manager' | 'queryRunner') {
    super(
      `The ${given} passed to the outbox is not in an active transaction, so the message could not commit with ` +
        'your business writes. Pass the manager you are given inside dataSource.transaction(async (manager) => …), ' +
        'or a QueryRunner after queryRunner.startTransaction().',
    );
    this.name = 'InactiveTransactionError';
  }
}
