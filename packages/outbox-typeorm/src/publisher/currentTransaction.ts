import type { QueryRunner } from 'typeorm';
// typeorm-transactional 0.5 keeps the transaction's EntityManager per data source name in its storage
// (cls-hooked or AsyncLocalStorage) and exports no public getter for it. Reading it directly works
// whether or not the DataSource was patched, and with both storage drivers.
import { getEntityManagerByDataSourceName, getTransactionalContext } from 'typeorm-transactional/dist/common/index.js';

/** What {@link currentTransaction} found for a data source name. */
export type CurrentTransaction =
  | { found: true; queryRunner: QueryRunner }
  /**
   * `not-initialized`: initializeTransactionalContext() was never called. `none`: no transaction here.
   * `ended`: this context had a transaction that has since committed, rolled back or lost its connection.
   */
  | { found: false; reason: 'not-initialized' | 'none' | 'ended' };

/**
 * The QueryRunner of the transaction typeorm-transactional holds for `connectionName` in the current
 * async context. None under NOT_SUPPORTED/NEVER or under SUPPORTS without an outer transaction;
 * `ended` after the transaction has ended.
 */
export function currentTransaction(connectionName: string): CurrentTransaction {
  let context: ReturnType<typeof getTransactionalContext>;
  try {
    context = getTransactionalContext();
  } catch {
    return { found: false, reason: 'not-initialized' };
  }
  if (!context.active) return { found: false, reason: 'none' };
  const queryRunner = getEntityManagerByDataSourceName(context, connectionName)?.queryRunner;
  if (!queryRunner) return { found: false, reason: 'none' };
  // A released runner is also what TypeORM leaves when the connection errors mid-transaction.
  if (queryRunner.isReleased || !queryRunner.isTransactionActive) return { found: false, reason: 'ended' };
  return { found: true, queryRunner };
}
