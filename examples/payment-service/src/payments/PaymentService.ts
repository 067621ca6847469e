import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import type { Repository } from 'typeorm';
import { Transactional } from 'typeorm-transactional';
import type { CreatePaymentDto } from './CreatePaymentDto.js';
import { Payment } from './Payment.js';
import { PAYMENT_CREATED, type PaymentCreatedEvent } from './PaymentCreatedEvent.js';
import { paymentEvents } from './paymentEvents.js';
import { SimulatedFailureError } from './SimulatedFailureError.js';

@Injectable()
export class PaymentService {
  constructor(
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
    private readonly outbox: TransactionalOutbox,
  ) {}

  /**
   * Saves the payment and its `payment.created` event in one transaction: both commit or neither does.
   * @throws SimulatedFailureError when `dto.failAfterSend` is set (after the event was written).
   */
  @Transactional()
  async create(dto: CreatePaymentDto): Promise<Payment> {
    const payment = this.payments.create({ id: randomUUID(), customerId: dto.customerId, amountCents: dto.amountCents, currency: dto.currency });
    await this.payments.save(payment);
    const body: PaymentCreatedEvent = { paymentId: payment.id, customerId: payment.customerId, amountCents: payment.amountCents, currency: payment.currency };
    // Where the service used to call its SNS producer. Same customer ⇒ same group (ordered relays keep its order).
    await this.outbox.typed(paymentEvents).sendEvent({ subject: PAYMENT_CREATED, body, groupKey: payment.customerId });
    if (dto.failAfterSend) throw new SimulatedFailureError(payment.id);
    return payment;
  }
}
