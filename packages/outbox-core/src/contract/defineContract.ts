import { InvalidOptionError } from '../errors.js';
import { checkSubject } from '../validation/checkSubject.js';
import type { EventContract, EventContractEntries, TypeOnlyEvent } from './EventContract.js';

/**
 * Declares the events of a service boundary once: subject → body, either a Standard Schema (zod,
 * valibot, arktype…; the body is then checked at `sendEvent` and on receipt) or `eventType<Body>()`
 * (a compile-time type only). Share the returned contract between the producing and consuming apps.
 *
 * @example
 * ```ts
 * const paymentEvents = defineContract({
 *   'payment.created': z.object({ paymentId: z.string(), amountCents: z.number().int() }),
 *   'payment.refunded': eventType<{ paymentId: string }>(),
 * });
 * ```
 * @throws InvalidOptionError when an entry is neither a Standard Schema nor `eventType()`, or a subject is unpublishable.
 */
export function defineContract<const E extends EventContractEntries>(events: E): EventContract<E> {
  if (events === null || typeof events !== 'object') throw new InvalidOptionError('events', 'an object of subject → schema', events);
  for (const [subject, entry] of Object.entries(events)) {
    checkSubject(subject);
    if (entry === null || typeof entry !== 'object' || ('~standard' in entry && typeof entry['~standard']?.validate !== 'function')) {
      throw new InvalidOptionError(`events[${JSON.stringify(subject)}]`, 'a Standard Schema (zod, valibot, arktype…) or eventType<Body>()', entry);
    }
  }
  return Object.freeze({ events: Object.freeze({ ...events }) });
}

/** A contract entry that declares the body type only; nothing is checked at run time. */
export function eventType<Body>(): TypeOnlyEvent<Body> {
  return Object.freeze({});
}
