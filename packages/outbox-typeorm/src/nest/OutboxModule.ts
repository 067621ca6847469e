import { ConfigurableModuleBuilder, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxAdmin } from '../admin/OutboxAdmin.js';
import { TransactionalOutbox } from '../publisher/TransactionalOutbox.js';
import type { TransactionalOutboxOptions } from '../publisher/TransactionalOutboxOptions.js';
import { clsTransactionSeam, type TransactionHostLike } from '../transaction/clsTransactionSeam.js';
import { seamList } from '../transaction/resolveTransaction.js';
import { typeormTransactionalSeam } from '../transaction/typeormTransactionalSeam.js';
import { checkOutboxSetup } from './checkOutboxSetup.js';
import { installedClsTransactionHost } from './installedClsTransactionHost.js';
import type { NestInjectionToken, OutboxModuleExtras, OutboxOptions } from './OutboxModuleOptions.js';

/** The token under which the module holds its {@link OutboxOptions} (what `forRootAsync`'s factory returned). */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: OUTBOX_MODULE_OPTIONS, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<OutboxOptions>({ moduleName: 'Outbox' })
    .setClassMethodName('forRoot')
    .setExtras<OutboxModuleExtras>({ global: true, admin: false }, (definition, extras) => withOutboxProviders(definition, extras))
    .build();

/**
 * Nest wiring for {@link TransactionalOutbox}: provides it under its own class as the token, so a
 * service just declares it in its constructor. `forRoot(options)` or
 * `forRootAsync({ imports, inject, useFactory })` (built with Nest's ConfigurableModuleBuilder), with
 * typeorm-transactional (the default) or `@nestjs-cls/transactional` (`clsTransactionHost`).
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     TypeOrmModule.forRootAsync({ ... }),
 *     OutboxModule.forRootAsync({ inject: [ConfigService], useFactory: (config: ConfigService) => ({ tableName: config.get('OUTBOX_TABLE') }) }),
 *   ],
 *   providers: [PaymentService],
 * })
 * export class AppModule {}
 * ```
 */
@Module({})
export class OutboxModule extends ConfigurableModuleClass {
  /** `forRoot()` with no options: the defaults, found through typeorm-transactional. */
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }
}

function withOutboxProviders(definition: DynamicModule, extras: OutboxModuleExtras): DynamicModule {
  const { global = true, connectionName = 'default', dataSourceToken, clsTransactionHost, admin = false } = extras;
  // The tokens @nestjs/typeorm's getDataSourceToken() returns, without importing it.
  const token: NestInjectionToken = dataSourceToken ?? (connectionName === 'default' ? DataSource : `${connectionName}DataSource`);
  // Without clsTransactionHost, @nestjs-cls/transactional's own TransactionHost (when installed) is asked
  // for, optionally: an app that runs it but did not pass it is told so at startup.
  const clsHostToken = clsTransactionHost ?? installedClsTransactionHost();
  const outbox: Provider = {
    provide: TransactionalOutbox,
    inject: [OUTBOX_MODULE_OPTIONS, { token, optional: true }, ...(clsHostToken ? [{ token: clsHostToken, optional: true }] : [])],
    useFactory: async (options: OutboxOptions, dataSource?: unknown, transactionHost?: unknown) => {
      const clsSeam = clsTransactionHost && transactionHost ? clsTransactionSeam(transactionHost as TransactionHostLike) : undefined;
      const outbox = new TransactionalOutbox({
        ...options,
        connectionName,
        ...(clsSeam ? { transactions: clsSeam } : {}),
        dataSource: (dataSource ?? undefined) as TransactionalOutboxOptions['dataSource'],
      });
      // The table is checked on the DataSource the outbox writes through: Nest's, else the seam's.
      const seams = seamList(options.transactions ?? clsSeam, () => typeormTransactionalSeam({ connectionName }));
      await checkOutboxSetup({
        connectionName,
        cls: clsTransactionHost ? { host: transactionHost ?? undefined } : undefined,
        clsInApp: !clsTransactionHost && transactionHost != null,
        ownSeams: options.transactions !== undefined,
        dataSource: ((dataSource ?? undefined) as DataSource | undefined) ?? seams.map((seam) => seam.dataSource?.()).find(Boolean),
        table: { tableName: options.tableName, schema: options.schema },
      });
      return outbox;
    },
  };
  const adminProvider: Provider = {
    provide: OutboxAdmin,
    inject: [OUTBOX_MODULE_OPTIONS, token],
    useFactory: (options: OutboxOptions, dataSource: DataSource) => new OutboxAdmin({ dataSource, tableName: options.tableName, schema: options.schema }),
  };
  return {
    ...definition,
    global,
    providers: [...(definition.providers ?? []), outbox, ...(admin ? [adminProvider] : [])],
    exports: [...(definition.exports ?? []), TransactionalOutbox, ...(admin ? [OutboxAdmin] : [])],
  };
}
