import type { TransactionalOutboxOptions } from '../publisher/TransactionalOutboxOptions.js';

/** What Nest accepts as an injection token (a class, a string or a symbol). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's own InjectionToken includes Function.
export type NestInjectionToken = string | symbol | Function;

/**
 * The outbox's own options, as `forRoot()` takes them or `forRootAsync()`'s `useFactory` returns them
 * (from `ConfigService`, say).
 */
export type OutboxOptions = Omit<TransactionalOutboxOptions, 'dataSource' | 'connectionName'>;

/**
 * How the module is wired, given to `forRoot()` and `forRootAsync()` alike (never from a factory: Nest
 * needs them to know what to inject).
 */
export interface OutboxModuleExtras {
  /** Register the module globally, so any module can inject `TransactionalOutbox`. @defaultValue `true` */
  global?: boolean;
  /**
   * Name the DataSource was registered under (`addTransactionalDataSource`, `@Transactional({ connectionName })`,
   * `TypeOrmModule.forRoot({ name })`). @defaultValue `'default'`
   */
  connectionName?: string;
  /**
   * Injection token of the TypeORM DataSource provider. Injected as optional: when nothing is
   * registered under it, the outbox finds its DataSource through typeorm-transactional by `connectionName`.
   * @defaultValue the token `@nestjs/typeorm` uses: the `DataSource` class for the default connection,
   *   `${connectionName}DataSource` for a named one
   */
  dataSourceToken?: NestInjectionToken;
  /**
   * For `@nestjs-cls/transactional`: its `TransactionHost` class (or your token for it). The outbox then
   * finds transactions through it (`clsTransactionSeam`) instead of through typeorm-transactional.
   * @example `OutboxModule.forRoot({ clsTransactionHost: TransactionHost })`
   */
  clsTransactionHost?: NestInjectionToken;
  /**
   * Also provide `OutboxAdmin` (replay and dead-letter operations) on the module's DataSource, for an
   * admin endpoint you guard yourself. Needs a DataSource provider under `dataSourceToken`. @defaultValue `false`
   */
  admin?: boolean;
}

/** Options of `OutboxModule.forRoot()`: the outbox's options plus the wiring. */
export type OutboxModuleOptions = OutboxOptions & OutboxModuleExtras;
