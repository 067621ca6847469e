import type { DataSource, QueryRunner } from 'typeorm';

/**
 * What a {@link TransactionSeam} found in the current async context.
 * - `found`: a transaction is active; writes through `queryRunner` commit or roll back with it.
 * - `none`: the library is set up and holds no transaction here.
 * - `ended`: it holds one whose connection was lost mid-way (it has rolled back).
 * - `unavailable`: the library is not installed or not initialized, so it cannot say (`detail` says why).
 */
export type SeamLookup =
  | { found: true; queryRunner: QueryRunner }
  | { found: false; reason: 'none' | 'ended' | 'unavailable'; detail?: string };

/**
 * Where the publisher and the inbox find "the current transaction": one adapter per transaction
 * library. Shipped: {@link typeormTransactionalSeam} (the default) and {@link clsTransactionSeam}
 * (`@nestjs-cls/transactional`). Implement it yourself for another library.
 *
 * @example
 * ```ts
 * const outbox = new TransactionalOutbox({ transactions: clsTransactionSeam(txHost) });
 * ```
 */
export interface TransactionSeam {
  /** The library's name, used in error messages. */
  readonly name: string;
  /**
   * How a caller opens this library's transaction, for the message of a call made outside one (e.g.
   * `a method decorated with @Transactional() from typeorm-transactional`). @defaultValue `a transaction of <name>`
   */
  readonly hint?: string;
  /** The transaction active in the current async context, if any. Must not throw for "none". */
  current(): SeamLookup;
  /**
   * Runs `work` in this library's transaction: joins the one active in the current context, or
   * opens one, so that writes made through the library inside `work` share it. Used by the inbox.
   */
  run<T>(work: (queryRunner: QueryRunner) => Promise<T>): Promise<T>;
  /** Calls `callback` if the transaction active in this context rolls back (when the library can tell). */
  onRollback?(callback: () => void): void;
  /** The DataSource this library's transactions run on, when it knows (used for own transactions). */
  dataSource?(): DataSource | undefined;
}
