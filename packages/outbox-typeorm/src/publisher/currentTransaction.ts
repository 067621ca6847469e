import { createRequire } from 'node:module';
import type { QueryRunner } from 'typeorm';
import type * as Internals from 'typeorm-transactional/dist/common/index.js';
import { UnsupportedTypeormTransactionalError } from './UnsupportedTypeormTransactionalError.js';

// typeorm-transactional 0.5 keeps the transaction's EntityManager per data source name in its storage
// (cls-hooked or AsyncLocalStorage) and exports no public getter for it. Reading it directly works
// whether or not the DataSource was patched, and with both storage drivers. It is an internal path,
// hence the ~0.5.0 peer range, and loaded lazily so another version fails with a named error, not at import.
type TransactionalInternals = Pick<typeof Internals, 'getTransactionalContext' | 'getEntityManagerByDataSourceName'>;
const require = createRequire(import.meta.url);
let internals: TransactionalInternals | undefined;

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

/** What {@link currentTransaction} found for a data source name. */
export type CurrentTransaction =
  | { found: true; queryRunner: QueryRunner }
  /**
   * `not-initialized`: initializeTransactionalContext() was never called. `none`: no transaction here.
   * `ended`: this context's transaction lost its connection mid-way. (One that committed or rolled back
   * normally reads as `none`: typeorm-transactional clears it from the context before COMMIT/ROLLBACK.)
   */
  | { found: false; reason: 'not-initialized' | 'none' | 'ended' };

/**
 * The QueryRunner of the transaction typeorm-transactional holds for `connectionName` in the current
 * async context. None under NOT_SUPPORTED/NEVER or under SUPPORTS without an outer transaction;
 * `ended` after the transaction's connection was lost.
 * @throws UnsupportedTypeormTransactionalError when typeorm-transactional is not a supported (0.5.x) version.
 */
export function currentTransaction(connectionName: string): CurrentTransaction {
  const { getTransactionalContext, getEntityManagerByDataSourceName } = (internals ??= loadTransactionalInternals());
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
