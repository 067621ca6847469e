import type { DataSource } from 'typeorm';
import { readOutboxLayout } from '../postgres/maintenance/readOutboxLayout.js';
import { OutboxTableError } from '../postgres/outboxStore/OutboxTableError.js';
import { executorFromPg, pgPoolOfDataSource } from '../postgres/SqlExecutor.js';
import { outboxNames } from '../postgres/schema/outboxNames.js';
import type { TableLocation } from '../postgres/identifiers.js';
import { TransactionSetupError } from '../transaction/TransactionSetupError.js';
import { typeormTransactionalState } from '../transaction/typeormTransactionalState.js';

/** What OutboxModule knows at startup about how the outbox was wired. */
export interface OutboxSetup {
  connectionName: string;
  /** `clsTransactionHost` was given: the TransactionHost Nest resolved for it (undefined: nothing provides it). */
  cls?: { host: unknown };
  /** Not given, but the app provides @nestjs-cls/transactional's TransactionHost. */
  clsInApp: boolean;
  /** The `transactions` option was given: the user chose the seams, none is checked. */
  ownSeams: boolean;
  /** The DataSource the outbox writes through, when Nest has one. */
  dataSource: DataSource | undefined;
  table: TableLocation;
}

const CLS_PLUGIN =
  'ClsModule.forRoot({ global: true, plugins: [new ClsPluginTransactional({ imports: [TypeOrmModule], ' +
  'adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }) })] })';

/**
 * The checks OutboxModule runs before the app starts, each failure with the fix in its message: the
 * transaction library the outbox is configured to join is set up (so a missing step is not found by the
 * first request), and the outbox table exists (so a forgotten migration is not found by it either).
 * @throws TransactionSetupError or OutboxTableError.
 */
export async function checkOutboxSetup(setup: OutboxSetup): Promise<void> {
  checkTransactionLibrary(setup);
  await checkTable(setup.dataSource, setup.table);
}

function checkTransactionLibrary({ cls, clsInApp, ownSeams, connectionName }: OutboxSetup): void {
  if (cls) {
    if (cls.host === undefined) {
      throw new TransactionSetupError('@nestjs-cls/transactional', `OutboxModule was given clsTransactionHost, but nothing in the app provides it. Register the plugin: ${CLS_PLUGIN}.`);
    }
    return;
  }
  if (ownSeams) return;
  const state = typeormTransactionalState(connectionName);
  if (state === 'ready') return;
  const what = {
    'not-installed': 'is not installed',
    'not-initialized': 'is not initialized',
    'not-registered': `knows no DataSource named "${connectionName}"`,
  }[state];
  if (clsInApp) {
    throw new TransactionSetupError(
      '@nestjs-cls/transactional',
      `This app runs @nestjs-cls/transactional (its TransactionHost is provided), but OutboxModule looks for transactions through typeorm-transactional, which ${what}: ` +
        'pass OutboxModule.forRoot({ clsTransactionHost: TransactionHost }) (or forRootAsync({ clsTransactionHost: TransactionHost, … })).',
    );
  }
  // Without either library the caller passes each transaction ({ manager }): nothing to check.
  if (state === 'not-installed') return;
  const fix =
    state === 'not-initialized'
      ? 'call initializeTransactionalContext() before NestFactory.create() (first thing in bootstrap())'
      : `register the DataSource: TypeOrmModule.forRootAsync({ …, dataSourceFactory: createTransactionalDataSource }) (from @tx-outbox/outbox-typeorm), or addTransactionalDataSource({ name: '${connectionName}', dataSource }) before the app starts; a DataSource under another name needs OutboxModule's connectionName`;
  throw new TransactionSetupError(
    'typeorm-transactional',
    `OutboxModule finds transactions through typeorm-transactional, which ${what}: ${fix}. ` +
      'With @nestjs-cls/transactional pass OutboxModule.forRoot({ clsTransactionHost: TransactionHost }); to pass the transaction to every call ({ manager }), forRoot({ transactions: [] }).',
  );
}

/** A DataSource not initialized yet (manualInitialization) is not checked: the first sendEvent is. */
async function checkTable(dataSource: DataSource | undefined, table: TableLocation): Promise<void> {
  if (!dataSource?.isInitialized || dataSource.options.type !== 'postgres') return;
  const names = outboxNames(table);
  const found = await readOutboxLayout(executorFromPg(pgPoolOfDataSource(dataSource)), names);
  if (found.kind !== 'slotted') throw new OutboxTableError(found.kind, names.table);
}
