// One event contract for the consumer tests: the same subjects with a zod and a valibot schema, a
// type-only entry, and two versions of one event (subject suffix) in flight at once.
import { defineContract, eventType } from '@tx-outbox/outbox-core';
import * as v from 'valibot';
import { z } from 'zod';

export const testEvents = defineContract({
  'zod.created': z.object({ paymentId: z.string(), amountCents: z.number().int() }),
  'valibot.created': v.object({ paymentId: v.string(), amountCents: v.pipe(v.number(), v.integer()) }),
  'plain.created': eventType<{ paymentId: string }>(),
  'payment.captured': z.object({ paymentId: z.string(), amount: z.number() }),
  'payment.captured.v2': z.object({ paymentId: z.string(), amount: z.object({ cents: z.number().int(), currency: z.string() }) }),
});

/** What an older consumer was built with: version 1 only. */
export const testEventsV1 = defineContract({
  'payment.captured': testEvents.events['payment.captured'],
});
