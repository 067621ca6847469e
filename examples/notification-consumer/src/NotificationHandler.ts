import { trace } from '@opentelemetry/api';
import { Inject, Injectable } from '@nestjs/common';
import { paymentEvents } from '@tx-outbox/example-payment-service/events';
import type { TypedConsumedMessage } from '@tx-outbox/relay-sns';
import { typedOnOutboxMessage } from '@tx-outbox/relay-sns/nest';
import { DataSource } from 'typeorm';
import { countDelivery } from './countDelivery.js';
import { Notification } from './Notification.js';

const tracer = trace.getTracer('notification-consumer');
/** `@OnOutboxMessage` typed by the payment service's contract: a handler for another body does not compile. */
const OnPaymentEvent = typedOnOutboxMessage(paymentEvents);

/** Name under which the inbox record and counters of this consumer are kept. */
export const CONSUMER_NAME = 'notification-consumer';

/**
 * Handles each `payment.created` event once. OutboxConsumerModule runs it through TransactionalInboxStore:
 * the inbox record, the `notifications` row and the `processed` count commit in one transaction, so a
 * redelivery after a crash neither loses nor repeats it.
 */
@Injectable()
export class NotificationHandler {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Runs inside the inbox transaction: the repository joins it through typeorm-transactional. Its span
   * is a child of the consumer's process span, so the insert shows in the trace of the payment request.
   */
  @OnPaymentEvent('payment.created')
  async paymentCreated(message: TypedConsumedMessage<typeof paymentEvents, 'payment.created'>): Promise<void> {
    // Checked against the contract's schema before this runs (the module's `contract`): a body without
    // a paymentId is reported and acknowledged, never handed to this method.
    const { paymentId } = message.body;
    await tracer.startActiveSpan('insert notification', async (span) => {
      try {
        await this.dataSource.getRepository(Notification).insert({ paymentId, outboxMessageId: message.id });
      } finally {
        span.end();
      }
    });
    await countDelivery(this.dataSource, CONSUMER_NAME, 'processed');
  }
}
