import { defineContract } from '@tx-outbox/outbox-core';
import { z } from 'zod';

/**
 * The events this service publishes, declared once and shared with its consumers (the notification
 * consumer imports it from `@tx-outbox/example-payment-service/events`): the payment service's
 * `sendEvent` is typed and checked by it, the consumer's handlers receive bodies typed and checked by it.
 * To change an event incompatibly, add `payment.created.v2` beside it (see the outbox-typeorm README).
 */
export const paymentEvents = defineContract({
  'payment.created': z.object({
    paymentId: z.string(),
    customerId: z.string(),
    amountCents: z.number().int(),
    currency: z.string(),
  }),
});
