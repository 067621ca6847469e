import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { ClsPluginTransactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { CreateOutboxTable1700000000000 } from '@tx-outbox/outbox-typeorm';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import { ClsModule } from 'nestjs-cls';
import type { AppModuleOptions } from '../AppModule.js';
import { CreatePaymentsTable1700000001000 } from '../migrations/CreatePaymentsTable1700000001000.js';
import { Payment } from '../payments/Payment.js';
import { PaymentController } from '../payments/PaymentController.js';
import { PaymentService } from '../payments/PaymentService.js';
import { ClsPaymentService } from './ClsPaymentService.js';

/** The payment service wired for @nestjs-cls/transactional instead of typeorm-transactional. */
@Module({})
export class ClsAppModule {
  static forRoot({ databaseUrl }: AppModuleOptions): DynamicModule {
    return {
      module: ClsAppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            type: 'postgres',
            url: databaseUrl,
            entities: [Payment],
            migrations: [CreateOutboxTable1700000000000, CreatePaymentsTable1700000001000],
            migrationsRun: true,
            migrationsTableName: 'payment_service_migrations',
            retryAttempts: 2,
          }),
        }),
        ClsModule.forRoot({
          global: true,
          middleware: { mount: true },
          plugins: [
            new ClsPluginTransactional({
              imports: [TypeOrmModule],
              adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
            }),
          ],
        }),
        // #region clsOutbox
        OutboxModule.forRoot({ clsTransactionHost: TransactionHost }), // sendEvent joins @Transactional() of nestjs-cls
        // #endregion clsOutbox
      ],
      controllers: [PaymentController],
      // The controller asks for PaymentService; this one keeps its contract on the cls transaction.
      providers: [{ provide: PaymentService, useClass: ClsPaymentService }],
    };
  }
}
