// The adoption change, for the README to quote. Compiled with the example, so it cannot drift.
// Only the lines between the #region markers are meant for quoting.
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import type { Repository } from 'typeorm';
import { Transactional } from 'typeorm-transactional';
import { Payment } from './payments/Payment.js';

/** The shape of a typical hand-written SNS producer, for the BEFORE version. */
export abstract class SnsProducer {
  abstract sendEvent(message: { subject: string; body: unknown; groupKey?: string }): Promise<void>;
}

// #region before
@Injectable()
export class PaymentServiceBefore {
  constructor(
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    private readonly producer: SnsProducer,
  ) {}

  @Transactional()
  async create(payment: Payment): Promise<void> {
    await this.payments.save(payment);
    // Published before the commit: a rollback after this line leaves a phantom event,
    // and a crash between commit and publish is impossible to detect — the event is lost.
    await this.producer.sendEvent({ subject: 'payment.created', body: { paymentId: payment.id }, groupKey: payment.customerId });
  }
}
// #endregion before

// #region after
@Injectable()
export class PaymentServiceAfter {
  constructor(
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    private readonly outbox: TransactionalOutbox, // provided by OutboxModule.forRoot()
  ) {}

  @Transactional()
  async create(payment: Payment): Promise<void> {
    await this.payments.save(payment);
    // Same call, now an INSERT in this transaction; the outbox-relay sidecar publishes it after commit.
    await this.outbox.sendEvent({ subject: 'payment.created', body: { paymentId: payment.id }, groupKey: payment.customerId });
  }
}
// #endregion after
