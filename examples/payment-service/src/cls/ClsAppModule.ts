import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { ClsPluginTransactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import { ClsModule } from 'nestjs-cls';
import type { AppModuleOptions } from '../AppModule.js';
import { PaymentController } from '../payments/PaymentController.js';
import { PaymentService } from '../payments/PaymentService.js';
import { paymentDataSourceOptions } from '../paymentDataSourceOptions.js';
import { ClsPaymentService } from './ClsPaymentService.js';

/** The payment service wired for @nestjs-cls/transactional instead of typeorm-transactional. */
@Module({})
export class ClsAppModule {
  static forRoot({ databaseUrl }: AppModuleOptions): DynamicModule {
    return {
      module: ClsAppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => paymentDataSourceOptions(databaseUrl),
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
