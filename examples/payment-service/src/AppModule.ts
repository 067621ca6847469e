import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createTransactionalDataSource } from '@tx-outbox/outbox-typeorm';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import { OutboxRelayModule } from '@tx-outbox/relay-sns/nest';
import { DataSource } from 'typeorm';
import { Payment } from './payments/Payment.js';
import { PaymentController } from './payments/PaymentController.js';
import { PaymentService } from './payments/PaymentService.js';
import { paymentDataSourceOptions } from './paymentDataSourceOptions.js';
import { TraceRequestsInterceptor } from './tracing/TraceRequestsInterceptor.js';

export interface AppModuleOptions {
  /** postgres://user:pass@host:5432/db */
  databaseUrl: string;
  /**
   * Run the relay inside this service (OutboxRelayModule) instead of the `outbox-relay` sidecar, with
   * the sidecar's settings from the environment: OUTBOX_ROUTES, AWS_REGION, AWS_ENDPOINT_URL.
   * @defaultValue false (`OUTBOX_RELAY=in-process` turns it on in main.ts)
   */
  inProcessRelay?: boolean;
}

@Module({})
export class AppModule {
  static forRoot({ databaseUrl, inProcessRelay = false }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => paymentDataSourceOptions(databaseUrl),
          // typeorm-transactional must know the DataSource before @Transactional() methods run; this
          // registration survives @nestjs/typeorm's connection retries (a database still starting).
          dataSourceFactory: createTransactionalDataSource,
        }),
        TypeOrmModule.forFeature([Payment]),
        // Settings come from the environment, as Nest apps read them.
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        OutboxModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({ tableName: config.get<string>('OUTBOX_TABLE', 'outbox') }),
        }),
        ...(inProcessRelay ? [inProcessRelayModule()] : []),
      ],
      controllers: [PaymentController],
      providers: [PaymentService, { provide: APP_INTERCEPTOR, useClass: TraceRequestsInterceptor }],
    };
  }
}

/** The relay in this process, configured like the sidecar; it drains before the DataSource closes on app.close(). */
function inProcessRelayModule(): DynamicModule {
  return OutboxRelayModule.forRootAsync({
    imports: [ConfigModule],
    inject: [ConfigService, DataSource],
    useFactory: (config: ConfigService, dataSource: DataSource) => ({
      dataSource,
      tableName: config.get<string>('OUTBOX_TABLE', 'outbox'),
      routes: config.getOrThrow<string>('OUTBOX_ROUTES'),
      region: config.get<string>('AWS_REGION', 'us-east-1'),
      endpoint: config.get<string>('AWS_ENDPOINT_URL'),
      ordered: true,
    }),
  });
}
