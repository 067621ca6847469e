import { trace } from '@opentelemetry/api';
import type { TransactionalInboxStore } from '@tx-outbox/outbox-typeorm';
import { decodeSqsMessage, type ConsumedMessage } from '@tx-outbox/relay-sns';
import type { DataSource } from 'typeorm';
import { countDelivery } from './countDelivery.js';
import { Notification } from './Notification.js';

const tracer = trace.getTracer('notification-consumer');

/** Name under which the inbox record and counters of this consumer are kept. */
export const CONSUMER_NAME = 'notification-consumer';

/**
 * Handles each `payment.created` event once: the inbox record and the `notifications` row commit in
 * one transaction (TransactionalInboxStore), so a redelivery after a crash neither loses nor repeats it.
 */
export class NotificationHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inbox: TransactionalInboxStore,
  ) {}

  /** For `SqsConsumer({ handler })`. Throws to leave the message for redelivery. */
  readonly handle = async (message: ConsumedMessage): Promise<void> => {
    let outcome;
    try {
      // The body as received, so a reused id with another payload is refused (PayloadMismatchError).
      const payload = decodeSqsMessage(message.raw).bodyText;
      outcome = await this.inbox.handleOnce({ consumer: CONSUMER_NAME, messageId: message.id, payload }, () => this.record(message));
    } catch (error) {
      await countDelivery(this.dataSource, CONSUMER_NAME, 'failed');
      throw error;
    }
    await countDelivery(this.dataSource, CONSUMER_NAME, outcome.status);
  };

  /**
   * Runs inside the inbox transaction: the repository joins it through typeorm-transactional. Its span
   * is a child of SqsConsumer's process span, so the insert shows in the trace of the payment request.
   */
  private async record(message: ConsumedMessage): Promise<void> {
    const paymentId = (message.body as { paymentId?: unknown } | null)?.paymentId;
    if (typeof paymentId !== 'string') throw new TypeError(`message ${message.id} (${message.subject}) has no paymentId`);
    await tracer.startActiveSpan('insert notification', async (span) => {
      try {
        await this.dataSource.getRepository(Notification).insert({ paymentId, outboxMessageId: message.id });
      } finally {
        span.end();
      }
    });
  }
}
