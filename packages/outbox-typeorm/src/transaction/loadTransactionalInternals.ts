import { createRequire } from 'node:module';
import type * as Internals from 'typeorm-transactional/dist/common/index.js';
import { UnsupportedTypeormTransactionalError } from './UnsupportedTypeormTransactionalError.js';

// typeorm-transactional 0.5 keeps the transaction's EntityManager per data source name in its storage
// (cls-hooked or AsyncLocalStorage) and exports no public getter for it. Reading it directly works
// whether or not the DataSource was patched, and with both storage drivers. It is an internal path,
// hence the ~0.5.0 peer range. Everything is loaded on first use: the package imports without it.
export type TransactionalInternals = Pick<typeof Internals, 'getTransactionalContext' | 'getEntityManagerByDataSourceName'>;
const require = createRequire(import.meta.url);

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
