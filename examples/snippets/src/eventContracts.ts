// README: typed event contracts (outbox-core, outbox-typeorm, relay-sns) and versioned events.
import { defineContract, eventType } from '@tx-outbox/outbox-core';
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import { SqsConsumer, contractHandler, createSqsLambdaHandler, type TypedConsumedMessage } from '@tx-outbox/relay-sns';
import { typedOnOutboxMessage } from '@tx-outbox/relay-sns/nest';
import { Injectable } from '@nestjs/common';
import * as v from 'valibot';
import { z } from 'zod';

declare function notify(paymentId: string, amountCents: number): Promise<void>;

// #region contract
export const paymentEvents = defineContract({
  'payment.created': z.object({ paymentId: z.string(), amountCents: z.number().int() }),
  'payment.refunded': v.object({ paymentId: v.string(), reason: v.string() }),
  'payment.noted': eventType<{ paymentId: string; note: string }>(), // a type only: not checked at run time
});
// #endregion contract

export async function produce(outbox: TransactionalOutbox, paymentId: string) {
  // #region typed-producer
  const payments = outbox.typed(paymentEvents);
  // Inside @Transactional() (or with { manager }), like outbox.sendEvent:
  await payments.sendEvent({ subject: 'payment.created', body: { paymentId, amountCents: 1250 } });
  // Does not compile: 'amount' is not a field of payment.created.
  // await payments.sendEvent({ subject: 'payment.created', body: { paymentId, amount: 1250 } });
  // At run time, a body the schema refuses throws InvalidEventBodyError (err.issues: [{ path, message }]); nothing is written.
  // #endregion typed-producer
}

export function consume(queueUrl: string) {
  // #region typed-consumer
  const consumer = new SqsConsumer({
    queueUrl,
    handler: contractHandler(
      paymentEvents,
      {
        'payment.created': async ({ body }) => notify(body.paymentId, body.amountCents), // body typed by the contract
      },
      {
        // A body its schema refuses: reported here (InvalidEventBodyError with messageId and issues), then
        // deleted without running the handler, since every redelivery would carry the same body.
        onInvalidBody: (error) => console.error(error.messageId, error.issues),
        unknownSubject: 'acknowledge', // subjects without a handler here are dropped instead of retried
      },
    ),
  });
  // #endregion typed-consumer
  // #region typed-lambda
  const lambdaHandler = createSqsLambdaHandler({
    handler: contractHandler(paymentEvents, { 'payment.refunded': async ({ body }) => console.log(body.reason) }),
  });
  // #endregion typed-lambda
  return { consumer, lambdaHandler };
}

// #region typed-nest
const OnPaymentEvent = typedOnOutboxMessage(paymentEvents);

@Injectable()
export class PaymentNotifications {
  @OnPaymentEvent('payment.created') // only compiles for a method taking payment.created's body
  async created({ body }: TypedConsumedMessage<typeof paymentEvents, 'payment.created'>) {
    await notify(body.paymentId, body.amountCents);
  }
}
// and OutboxConsumerModule.forRoot({ ..., contract: paymentEvents }) checks bodies against the schemas.
// #endregion typed-nest

// #region versioned-contract
export const paymentEventsV2 = defineContract({
  ...paymentEvents.events,
  // An incompatible change is a new subject; the old one stays until no consumer reads it.
  'payment.created.v2': z.object({ paymentId: z.string(), amount: z.object({ cents: z.number().int(), currency: z.string() }) }),
});
// #endregion versioned-contract

export async function produceBothVersions(outbox: TransactionalOutbox, paymentId: string) {
  // #region versioned-producer
  // During the deploy, the new producer writes both versions in the same transaction:
  await outbox.typed(paymentEventsV2).sendEvents([
    { subject: 'payment.created', body: { paymentId, amountCents: 1250 } },
    { subject: 'payment.created.v2', body: { paymentId, amount: { cents: 1250, currency: 'EUR' } } },
  ]);
  // #endregion versioned-producer
}
