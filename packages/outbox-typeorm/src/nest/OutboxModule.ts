import { DataSource } from 'typeorm';
import { TransactionalOutbox } from '../publisher/TransactionalOutbox.js';
import { clsTransactionSeam, type TransactionHostLike } from '../transaction/clsTransactionSeam.js';
import type { TransactionalOutboxOptions } from '../publisher/TransactionalOutboxOptions.js';

/** Options of {@link OutboxModule.forRoot}: the outbox's own options, plus where Nest finds the DataSource. */
export interface OutboxModuleOptions extends Omit<TransactionalOutboxOptions, 'dataSource'> {
  /**
   * Injection token of the TypeORM DataSource provider. Injected as optional: when nothing is
   * registered under it, the outbox finds its DataSource through typeorm-transactional by `connectionName`.
   * @defaultValue the token `@nestjs/typeorm` uses: the `DataSource` class for the default connection,
   *   `` `${connectionName}DataSource` `` for a named one
   */
  dataSourceToken?: NestInjectionToken;
  /**
   * For @nestjs-cls/transactional: its `TransactionHost` class (or your token for it). The outbox then
   * finds transactions through it (`clsTransactionSeam`) instead of through typeorm-transactional.
   * @example `OutboxModule.forRoot({ clsTransactionHost: TransactionHost })`
   */
  clsTransactionHost?: NestInjectionToken;
  /** Register the module globally, so any module can inject `TransactionalOutbox`. @defaultValue `true` */
  global?: boolean;
}

/** What Nest accepts as an injection token (a class, a string or a symbol). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's own InjectionToken includes Function.
export type NestInjectionToken = string | symbol | Function;

/** The shape of a Nest `DynamicModule`, declared here so this package does not depend on `@nestjs/common`. */
export interface OutboxDynamicModule {
  module: typeof OutboxModule;
  global: boolean;
  providers: { provide: typeof TransactionalOutbox; useFactory: (dataSource?: unknown, transactionHost?: unknown) => TransactionalOutbox; inject: { token: NestInjectionToken; optional: boolean }[] }[];
  exports: (typeof TransactionalOutbox)[];
}

/**
 * Nest wiring for {@link TransactionalOutbox}: provides it under its own class as the token, so a
 * service just declares it in its constructor. Imports nothing from `@nestjs/*`.
 *
 * @example
 * ```ts
 * @Module({ imports: [TypeOrmModule.forRootAsync({ ... }), OutboxModule.forRoot()], providers: [PaymentService] })
 * export class AppModule {}
 *
 * @Injectable()
 * export class PaymentService {
 *   constructor(private readonly outbox: TransactionalOutbox) {}
 * }
 * ```
 */
export class OutboxModule {
  /** @throws InvalidOptionError / InvalidIdentifierError when Nest builds the provider with bad options. */
  static forRoot(options: OutboxModuleOptions = {}): OutboxDynamicModule {
    const { dataSourceToken, clsTransactionHost, global = true, ...outboxOptions } = options;
    const name = outboxOptions.connectionName ?? 'default';
    // The tokens @nestjs/typeorm's getDataSourceToken() returns, without importing it.
    const token = dataSourceToken ?? (name === 'default' ? DataSource : `${name}DataSource`);
    const useFactory = (dataSource?: unknown, transactionHost?: unknown) =>
      new TransactionalOutbox({
        ...outboxOptions,
        ...(transactionHost ? { transactions: clsTransactionSeam(transactionHost as TransactionHostLike) } : {}),
        dataSource: (dataSource ?? undefined) as TransactionalOutboxOptions['dataSource'],
      });
    const inject = [{ token, optional: true }, ...(clsTransactionHost ? [{ token: clsTransactionHost, optional: false }] : [])];
    return {
      module: OutboxModule,
      global,
      providers: [{ provide: TransactionalOutbox, useFactory, inject }],
      exports: [TransactionalOutbox],
    };
  }
}
