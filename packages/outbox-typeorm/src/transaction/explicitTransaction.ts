import type { EntityManager, QueryRunner } from 'typeorm';
import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { InactiveTransactionError } from './InactiveTransactionError.js';

/** The explicit per-call form: the caller hands over the transaction it holds. */
export interface ExplicitTransaction {
  /** The EntityManager of `dataSource.transaction(async (manager) => …)`. */
  manager?: EntityManager;
  /** A QueryRunner after `startTransaction()`. */
  queryRunner?: QueryRunner;
}

/**
 * The QueryRunner of an explicitly given transaction, or `undefined` when none was given.
 * @throws InvalidOptionError for both or a non-TypeORM value; InactiveTransactionError when it is not in an active transaction.
 */
export function explicitQueryRunner(given: ExplicitTransaction | undefined): QueryRunner | undefined {
  const { manager, queryRunner } = given ?? {};
  if (manager !== undefined && queryRunner !== undefined) {
    throw new InvalidOptionError('manager', 'either manager or queryRunner, not both', 'both');
  }
  if (manager !== undefined) {
    if (manager === null || typeof manager !== 'object' || !('queryRunner' in manager || 'connection' in manager)) {
      throw new InvalidOptionError('manager', 'a TypeORM EntityManager', manager);
    }
    return active(manager.queryRunner, 'manager');
  }
  if (queryRunner !== undefined) {
    if (queryRunner === null || typeof queryRunner !== 'object' || typeof queryRunner.query !== 'function') {
      throw new InvalidOptionError('queryRunner', 'a TypeORM QueryRunner', queryRunner);
    }
    return active(queryRunner, 'queryRunner');
  }
  return undefined;
}

function active(queryRunner: QueryRunner | undefined, given: 'manager' | 'queryRunner'): QueryRunner {
  if (!queryRunner || queryRunner.isReleased || !queryRunner.isTransactionActive) throw new InactiveTransactionError(given);
  return queryRunner;
}
