import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Payment } from './payments/Payment.js';
import { PaymentController } from './payments/PaymentController.js';
import { PaymentService } from './payments/PaymentService.js';
import { paymentDataSourceOptions } from './paymentDataSourceOptions.js';
import { registerTransactionalDataSource } from './registerTransactionalDataSource.js';
import { TraceRequestsInterceptor } from './tracing/TraceRequestsInterceptor.js';

export interface AppModuleOptions {
  /** postgres://user:pass@host:5432/db */
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static forRoot({ databaseUrl }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => paymentDataSourceOptions(databaseUrl),
          // typeorm-transactional must know the DataSource before @Transactional() methods run.
          dataSourceFactory: async (options?: DataSourceOptions) => registerTransactionalDataSource(new DataSource(options!)),
        }),
        TypeOrmModule.forFeature([Payment]),
        OutboxModule.forRoot(),
      ],
      controllers: [PaymentController],
      providers: [PaymentService, { provide: APP_INTERCEPTOR, useClass: TraceRequestsInterceptor }],
    };
  }
}
