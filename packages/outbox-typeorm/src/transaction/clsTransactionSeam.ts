import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { SeamLookup, TransactionSeam } from './TransactionSeam.js';

/**
 * What a `TransactionHost<TransactionalAdapterTypeOrm>` of `@nestjs-cls/transactional` looks like to
 * us. Structural, so this package never imports `@nestjs-cls/*`.
 */
export interface TransactionHostLike {
  /** The transaction's EntityManager inside a transaction, the DataSource's manager outside one. */
  readonly tx: EntityManager;
  isTransactionActive(): boolean;
  withTransaction<R>(propagation: 'REQUIRED' | any, fn: (...args: any[]) => Promise<R>): Promise<R>;
}

/**
 * The seam for `@nestjs-cls/transactional` with its TypeORM adapter (`@Transactional()` from
 * `@nestjs-cls/transactional`, `txHost.withTransaction`).
 * @param txHost - the `TransactionHost` (inject it, or `app.get(TransactionHost)`).
 * @example
 * ```ts
 * const outbox = new TransactionalOutbox({ transactions: clsTransactionSeam(app.get(TransactionHost)) });
 * ```
 */
export function clsTransactionSeam(txHost: TransactionHostLike): TransactionSeam {
  const seam: TransactionSeam = {
    name: '@nestjs-cls/transactional',
    hint: 'a method decorated with @Transactional() from @nestjs-cls/transactional (or txHost.withTransaction())',
    current(): SeamLookup {
      let active: boolean;
      try {
        active = txHost.isTransactionActive();
      } catch (error) {
        return { found: false, reason: 'unavailable', detail: `TransactionHost failed: ${(error as Error)?.message}` };
      }
      if (!active) return { found: false, reason: 'none' };
      const queryRunner = txHost.tx.queryRunner;
      if (!queryRunner || queryRunner.isReleased || !queryRunner.isTransactionActive) return { found: false, reason: 'ended' };
      return { found: true, queryRunner };
    },
    run<T>(work: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
      return txHost.withTransaction('REQUIRED', async () => {
        const found = seam.current();
        if (!found.found) throw new Error('@nestjs-cls/transactional opened no TypeORM transaction (is the TypeORM adapter configured?)');
        return work(found.queryRunner);
      });
    },
    dataSource(): DataSource | undefined {
      const manager = txHost.tx as EntityManager & { dataSource?: DataSource };
      return manager.dataSource ?? manager.connection;
    },
  };
  return seam;
}
