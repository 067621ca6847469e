import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import type { CreatePaymentDto } from '../payments/CreatePaymentDto.js';
import { Payment } from '../payments/Payment.js';
import { PAYMENT_CREATED, type PaymentCreatedEvent } from '../payments/PaymentCreatedEvent.js';
import { paymentEvents } from '../payments/paymentEvents.js';
import { SimulatedFailureError } from '../payments/SimulatedFailureError.js';

/**
 * `PaymentService` for a team on @nestjs-cls/transactional: the same contract, the transaction held by
 * `TransactionHost`. The outbox joins it because `OutboxModule.forRoot({ clsTransactionHost })` told it where to look.
 */
@Injectable()
export class ClsPaymentService {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly outbox: TransactionalOutbox,
  ) {}

  /**
   * Saves the payment and its `payment.created` event in one transaction: both commit or neither does.
   * @throws SimulatedFailureError when `dto.failAfterSend` is set (after the event was written).
   */
  @Transactional()
  async create(dto: CreatePaymentDto): Promise<Payment> {
    const payments = this.txHost.tx.getRepository(Payment);
    const payment = payments.create({ id: randomUUID(), customerId: dto.customerId, amountCents: dto.amountCents, currency: dto.currency });
    await payments.save(payment);
    const body: PaymentCreatedEvent = { paymentId: payment.id, customerId: payment.customerId, amountCents: payment.amountCents, currency: payment.currency };
    await this.outbox.typed(paymentEvents).sendEvent({ subject: PAYMENT_CREATED, body, groupKey: payment.customerId });
    if (dto.failAfterSend) throw new SimulatedFailureError(payment.id);
    return payment;
  }
}
