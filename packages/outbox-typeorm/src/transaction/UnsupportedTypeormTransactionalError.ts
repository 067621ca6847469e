import { OutboxError } from '@tx-outbox/outbox-core';

/**
 * The installed typeorm-transactional does not have the internals the publisher reads the current
 * transaction from (`dist/common`: `getTransactionalContext`, `getEntityManagerByDataSourceName`).
 */
export class UnsupportedTypeormTransactionalError extends OutboxError {
  constructor(options?: { cause?: unknown }) {
    super(
      'Could not read the current transaction from typeorm-transactional: its internal module ' +
        '"typeorm-transactional/dist/common" is missing or changed. This version of @tx-outbox/outbox-typeorm ' +
        'supports typeorm-transactional ~0.5.0; install a 0.5.x release.',
      options,
    );
    this.name = 'UnsupportedTypeormTransactionalError';
  }
}
