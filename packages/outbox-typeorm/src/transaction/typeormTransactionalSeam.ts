import { createRequire } from 'node:module';
import type { DataSource, QueryRunner } from 'typeorm';
import type * as Api from 'typeorm-transactional';
import type { SeamLookup, TransactionSeam } from './TransactionSeam.js';
import { loadTransactionalInternals, type TransactionalInternals } from './loadTransactionalInternals.js';

// Loaded on first use, so the package imports without typeorm-transactional.
type TransactionalApi = Pick<typeof Api, 'runInTransaction' | 'runOnTransactionRollback' | 'getDataSourceByName'>;
const require = createRequire(import.meta.url);
let internals: TransactionalInternals | undefined;
let api: TransactionalApi | undefined;
let isInstalled: boolean | undefined;

/** Whether typeorm-transactional can be found from this package at all (looked up once). */
function installed(): boolean {
  if (isInstalled === undefined) {
    try {
      require.resolve('typeorm-transactional');
      isInstalled = true;
    } catch {
      isInstalled = false;
    }
  }
  return isInstalled;
}

function transactionalApi(): TransactionalApi {
  return (api ??= require('typeorm-transactional') as TransactionalApi);
}

/**
 * The seam for typeorm-transactional 0.5 (`@Transactional()`, `runInTransaction`): the default when
 * no `transactions` option is given. Reports `unavailable` when the package is not installed or
 * `initializeTransactionalContext()` was never called.
 * @param options - `connectionName`: the name given to `addTransactionalDataSource` (default `'default'`).
 * @throws UnsupportedTypeormTransactionalError (from `current`) when an unsupported version is installed.
 * @example
 * ```ts
 * const outbox = new TransactionalOutbox({ transactions: typeormTransactionalSeam({ connectionName: 'orders' }) });
 * ```
 */
export function typeormTransactionalSeam(options: { connectionName?: string } = {}): TransactionSeam {
  const connectionName = options.connectionName ?? 'default';
  const seam: TransactionSeam = {
    name: 'typeorm-transactional',
    hint: 'a method decorated with @Transactional() from typeorm-transactional (or runInTransaction())',
    current(): SeamLookup {
      if (!internals && !installed()) return { found: false, reason: 'unavailable', detail: 'typeorm-transactional is not installed' };
      const { getTransactionalContext, getEntityManagerByDataSourceName } = (internals ??= loadTransactionalInternals());
      let context: ReturnType<typeof getTransactionalContext>;
      try {
        context = getTransactionalContext();
      } catch {
        return { found: false, reason: 'unavailable', detail: notInitialized };
      }
      if (!context.active) return { found: false, reason: 'none' };
      const queryRunner = getEntityManagerByDataSourceName(context, connectionName)?.queryRunner;
      if (!queryRunner) return { found: false, reason: 'none' };
      // A released runner is also what TypeORM leaves when the connection errors mid-transaction.
      // (One that committed or rolled back normally reads as `none`: it is cleared from the context first.)
      if (queryRunner.isReleased || !queryRunner.isTransactionActive) return { found: false, reason: 'ended' };
      return { found: true, queryRunner };
    },
    run<T>(work: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
      return transactionalApi().runInTransaction(
        async () => {
          const found = seam.current();
          if (!found.found) throw new Error(`typeorm-transactional opened no transaction for data source "${connectionName}"`);
          return work(found.queryRunner);
        },
        { connectionName, propagation: 'REQUIRED' as Api.Propagation },
      );
    },
    onRollback(callback: () => void): void {
      transactionalApi().runOnTransactionRollback(callback);
    },
    dataSource(): DataSource | undefined {
      return installed() ? transactionalApi().getDataSourceByName(connectionName) : undefined;
    },
  };
  return seam;
}

const notInitialized =
  'typeorm-transactional is not initialized: call initializeTransactionalContext() and ' +
  'addTransactionalDataSource(dataSource) at startup';
