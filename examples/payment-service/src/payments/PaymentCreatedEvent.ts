import type { ContractBody } from '@tx-outbox/outbox-core';
import type { paymentEvents } from './paymentEvents.js';

/** Body of the `payment.created` event, as the notification consumer receives it (from the contract). */
export type PaymentCreatedEvent = ContractBody<typeof paymentEvents, 'payment.created'>;

export const PAYMENT_CREATED = 'payment.created';
