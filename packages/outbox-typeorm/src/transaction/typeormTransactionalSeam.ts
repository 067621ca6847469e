import { createRequire } from 'node:module';
import type { DataSource, QueryRunner } from 'typeorm';
import type * as Api from 'typeorm-transactional';
import type * as Internals from 'typeorm-transactional/dist/common/index.js';
import type { SeamLookup, TransactionSeam } from './TransactionSeam.js';
import { UnsupportedTypeormTransactionalError } from './UnsupportedTypeormTransactionalError.js';

// typeorm-transactional 0.5 keeps the transaction's EntityManager per data source name in its storage
// (cls-hooked or AsyncLocalStorage) and exports no public getter for it. Reading it directly works
// whether or not the DataSource was patched, and with both storage drivers. It is an internal path,
// hence the ~0.5.0 peer range. Everything is loaded on first use: the package imports without it.
type TransactionalInternals = Pick<typeof Internals, 'getTransactionalContext' | 'getEntityManagerByDataSourceName'>;
type TransactionalApi = Pick<typeof Api, 'runInTransaction' | 'runOnTransactionRollback' | 'getDataSourceByName'>;
const require = createRequire(import.meta.url);
let internals: TransactionalInternals | undefined;
let api: TransactionalApi | undefined;

/**
 * Loads and checks the typeorm-transactional internals (`load` is replaceable for tests).
 * @throws UnsupportedTypeormTransactionalError when they cannot be loaded or lack a function we use.
 */
export function loadTransactionalInternals(
  load: () => unknown = () => require('typeorm-transactional/dist/common/index.js'),
): TransactionalInternals {
  let loaded: Partial<TransactionalInternals> | undefined;
  try {
    loaded = load() as Partial<TransactionalInternals> | undefined;
  } catch (error) {
    throw new UnsupportedTypeormTransactionalError({ cause: error });
  }
  if (typeof loaded?.getTransactionalContext !== 'function' || typeof loaded.getEntityManagerByDataSourceName !== 'function') {
    throw new UnsupportedTypeormTransactionalError();
  }
  return loaded as TransactionalInternals;
}

/** Whether typeorm-transactional can be found from this package at all. */
function installed(): boolean {
  try {
    require.resolve('typeorm-transactional');
    return true;
  } catch {
    return false;
  }
}

function transactionalApi(): TransactionalApi {
  return (api ??= require('typeorm-transactional') as TransactionalApi);
}

/**
 * The seam for typeorm-transactional 0.5 (`@Transactional()`, `runInTransaction`): the default when
 * no `transactions` option is given. Reports `unavailable` when the package is not installed or
 * `initializeTransactionalContext()` was never called.
 * @param options.connectionName the name given to `addTransactionalDataSource` (default `'default'`).
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
