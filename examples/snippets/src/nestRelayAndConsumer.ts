// README (relay-sns), "Nest modules": the in-process relay with its Terminus indicator, and the consumer module.
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';
import type { ConsumedMessage } from '@tx-outbox/relay-sns';
import { DataSource } from 'typeorm';

declare const notifications: { send(paymentId: string): Promise<void>; log(subject: string): Promise<void> };

// #region relay-module
import { OutboxRelayHealthIndicator, OutboxRelayModule } from '@tx-outbox/relay-sns/nest';

@Module({
  imports: [
    ConfigModule.forRoot(),
    TerminusModule,
    OutboxRelayModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService, DataSource],
      useFactory: (config: ConfigService, dataSource: DataSource) => ({
        dataSource, // the app's own (TypeOrmModule); the relay claims through its pool
        routes: config.getOrThrow('OUTBOX_ROUTES'), // as the sidecar: "payment.*=arn:aws:sns:..."
        region: config.get('AWS_REGION'),
        ordered: true, // the table needs its group indexes: createOutboxMigration({ ordered: true })
      }),
    }),
  ],
})
export class RelayAppModule {}

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthCheckService, private readonly outbox: OutboxRelayHealthIndicator) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.outbox.isHealthy('outbox')]);
  }
}
// In main.ts: app.enableShutdownHooks(), so SIGTERM drains the relay before the DataSource closes.
// #endregion relay-module

// #region consumer-module
import { OnOutboxMessage, OutboxConsumerModule } from '@tx-outbox/relay-sns/nest';

@Injectable()
export class PaymentHandlers {
  @OnOutboxMessage('payment.created') // the exact subject wins over a prefix
  async created({ body }: ConsumedMessage) {
    await notifications.send((body as { paymentId: string }).paymentId);
  }

  @OnOutboxMessage('payment.*') // every other payment.* subject
  async other({ subject }: ConsumedMessage) {
    await notifications.log(subject);
  }
}

@Module({
  imports: [
    OutboxConsumerModule.forRootAsync({
      inject: [ConfigService, DataSource],
      useFactory: (config: ConfigService, dataSource: DataSource) => ({
        queueUrl: config.getOrThrow('QUEUE_URL'),
        consumer: 'notifications',
        inbox: new TransactionalInboxStore({ dataSource }), // each handler in a transaction with its inbox record
        unknownSubject: 'retry', // or 'acknowledge'
      }),
    }),
  ],
  providers: [PaymentHandlers],
})
export class ConsumerAppModule {}
// #endregion consumer-module
