import { trace } from '@opentelemetry/api';
import { Inject, Injectable } from '@nestjs/common';
import type { ConsumedMessage } from '@tx-outbox/relay-sns';
import { OnOutboxMessage } from '@tx-outbox/relay-sns/nest';
import { DataSource } from 'typeorm';
import { countDelivery } from './countDelivery.js';
import { Notification } from './Notification.js';

const tracer = trace.getTracer('notification-consumer');

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
  @OnOutboxMessage('payment.created')
  async paymentCreated(message: ConsumedMessage): Promise<void> {
    const paymentId = (message.body as { paymentId?: unknown } | null)?.paymentId;
    if (typeof paymentId !== 'string') throw new TypeError(`message ${message.id} (${message.subject}) has no paymentId`);
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
