export type { TransactionSeam, SeamLookup } from './TransactionSeam.js';
export { typeormTransactionalSeam } from './typeormTransactionalSeam.js';
export { clsTransactionSeam } from './clsTransactionSeam.js';
export type { TransactionHostLike } from './clsTransactionSeam.js';
export { resolveTransaction } from './resolveTransaction.js';
export type { ResolvedTransaction } from './resolveTransaction.js';
export type { ExplicitTransaction } from './explicitTransaction.js';
export { InactiveTransactionError } from './InactiveTransactionError.js';
export { UnsupportedTypeormTransactionalError } from './UnsupportedTypeormTransactionalError.js';
