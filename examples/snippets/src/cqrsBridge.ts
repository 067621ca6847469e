// README: @nestjs/cqrs events through the outbox (@tx-outbox/outbox-typeorm/cqrs).
import { Injectable, Module } from '@nestjs/common';
import { AggregateRoot, CqrsModule, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { OutboxCqrsModule, OutboxEvent, OutboxEventBridge } from '@tx-outbox/outbox-typeorm/cqrs';
import { OutboxModule } from '@tx-outbox/outbox-typeorm/nest';
import type { ConsumedMessage } from '@tx-outbox/relay-sns';
import { OnOutboxMessage } from '@tx-outbox/relay-sns/nest';
import { Transactional } from 'typeorm-transactional';

// #region cqrs-event
@OutboxEvent('payment.captured', { groupKey: (e: PaymentCaptured) => e.paymentId })
export class PaymentCaptured {
  constructor(
    readonly paymentId: string,
    readonly amountCents: number,
  ) {}
}

export class Payment extends AggregateRoot {
  constructor(readonly id: string) {
    super();
  }
  capture(amountCents: number) {
    this.apply(new PaymentCaptured(this.id, amountCents));
  }
}
// #endregion cqrs-event

// #region cqrs-producer
@Injectable()
export class CapturePayment {
  constructor(private readonly bridge: OutboxEventBridge) {}

  @Transactional()
  async capture(paymentId: string, amountCents: number) {
    const payment = this.bridge.mergeObjectContext(new Payment(paymentId));
    payment.capture(amountCents);
    // ... save the payment ...
    await payment.commit(); // written to the outbox in this transaction; await it before returning
  }
}

@Module({
  imports: [CqrsModule.forRoot(), OutboxModule.forRoot({}), OutboxCqrsModule.forRoot()],
  providers: [CapturePayment],
})
export class PaymentsModule {}
// #endregion cqrs-producer

// #region cqrs-consumer
@Injectable()
export class ReceivedPaymentEvents {
  constructor(private readonly bridge: OutboxEventBridge) {}

  @OnOutboxMessage('payment.*') // from OutboxConsumerModule
  receive(message: ConsumedMessage) {
    this.bridge.dispatch(message); // rebuilds PaymentCaptured and publishes it on the local EventBus
  }
}

@EventsHandler(PaymentCaptured)
export class SendReceipt implements IEventHandler<PaymentCaptured> {
  handle(event: PaymentCaptured) {
    console.log('receipt for', event.paymentId);
  }
}
// #endregion cqrs-consumer
