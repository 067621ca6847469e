/** Body of the `payment.created` event, as the notification consumer receives it. */
export interface PaymentCreatedEvent {
  paymentId: string;
  customerId: string;
  amountCents: number;
  currency: string;
}

export const PAYMENT_CREATED = 'payment.created';
