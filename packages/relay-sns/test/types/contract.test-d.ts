// Compile-time checks of the event contract, type-checked by contractTypes.test.ts (tsc --noEmit).
// Every `@ts-expect-error` line must be an error: if the typing is loosened, the directive is unused
// and tsc fails, so the test fails.
import { TransactionalOutbox } from '@tx-outbox/outbox-typeorm';
import { defineContract, eventType } from '@tx-outbox/outbox-core';
import { z } from 'zod';
import * as v from 'valibot';
import { contractHandler, type TypedConsumedMessage } from '../../src/index.js';
import { typedOnOutboxMessage } from '../../src/nest/index.js';

const events = defineContract({
  'payment.created': z.object({ paymentId: z.string(), amountCents: z.number() }),
  'payment.refunded': v.object({ paymentId: v.string(), reason: v.string() }),
  'payment.noted': eventType<{ note: string }>(),
});
const outbox = new TransactionalOutbox().typed(events);

export async function producing(): Promise<void> {
  await outbox.sendEvent({ subject: 'payment.created', body: { paymentId: 'p', amountCents: 1 } });
  await outbox.sendEvent({ subject: 'payment.refunded', body: { paymentId: 'p', reason: 'r' } });
  await outbox.sendEvent({ subject: 'payment.noted', body: { note: 'n' } });
  await outbox.sendEvents([
    { subject: 'payment.created', body: { paymentId: 'p', amountCents: 1 } },
    { subject: 'payment.noted', body: { note: 'n' } },
  ]);
  // @ts-expect-error a wrong field type (zod schema)
  await outbox.sendEvent({ subject: 'payment.created', body: { paymentId: 'p', amountCents: '1' } });
  // @ts-expect-error a misspelt field (zod schema)
  await outbox.sendEvent({ subject: 'payment.created', body: { paymentID: 'p', amountCents: 1 } });
  // @ts-expect-error a missing field (valibot schema)
  await outbox.sendEvent({ subject: 'payment.refunded', body: { paymentId: 'p' } });
  // @ts-expect-error the body of another subject (type-only entry)
  await outbox.sendEvent({ subject: 'payment.noted', body: { paymentId: 'p', amountCents: 1 } });
  // @ts-expect-error a subject outside the contract
  await outbox.sendEvent({ subject: 'payment.unknown', body: {} });
  // @ts-expect-error a wrong body in a batch
  await outbox.sendEvents([{ subject: 'payment.noted', body: { note: 1 } }]);
}

export function consuming(): void {
  contractHandler(events, {
    'payment.created': async ({ body }) => {
      const cents: number = body.amountCents;
      // @ts-expect-error the consumer's body is typed: a field that does not exist
      void body.amount;
      void cents;
    },
    'payment.refunded': ({ body }) => {
      // @ts-expect-error reason is a string
      const reason: number = body.reason;
      void reason;
    },
  });
  contractHandler(events, {
    // @ts-expect-error a handler expecting another body for its subject
    'payment.noted': async (message: { body: { note: number } }) => void message,
  });
  // @ts-expect-error a subject outside the contract
  contractHandler(events, { 'payment.unknown': async () => undefined });
}

const OnPaymentEvent = typedOnOutboxMessage(events);
export class NestHandlers {
  @OnPaymentEvent('payment.created')
  async created({ body }: TypedConsumedMessage<typeof events, 'payment.created'>): Promise<void> {
    void body.amountCents.toFixed();
  }

  // @ts-expect-error the decorated method expects another body than its subject's
  @OnPaymentEvent('payment.noted')
  async noted(message: { body: { note: number } }): Promise<void> {
    void message;
  }
}
