import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { checkSubject } from '@tx-outbox/outbox-core/internal';

/** How instances of one event class become outbox messages, and received messages become instances again. */
export interface OutboxEventOptions<E extends object = object> {
  /** The ordering key (`groupKey`) of an event, e.g. its aggregate id. @defaultValue none */
  groupKey?: (event: E) => string | undefined;
  /** The body written for an event. @defaultValue the event's own enumerable properties */
  body?: (event: E) => unknown;
  /** Rebuilds the event from a received body. @defaultValue an instance of the class with the body's properties */
  fromBody?: (body: unknown) => E;
}

/** An event class's mapping, as `@OutboxEvent` recorded it. */
export interface OutboxEventMapping<E extends object = object> extends OutboxEventOptions<E> {
  subject: string;
  type: abstract new (...args: never[]) => E;
}

const byClass = new WeakMap<object, OutboxEventMapping>();
const bySubject = new Map<string, OutboxEventMapping>();

/**
 * Marks an `@nestjs/cqrs` event class as an outbox event: with `OutboxCqrsModule`, publishing it
 * (`aggregate.commit()`, `eventBus.publish`) writes it to the outbox in the current transaction, under
 * `subject`, instead of handling it in memory; a consumer app's `OutboxEventBridge.dispatch` turns the
 * received message back into this class and publishes it on its local EventBus.
 *
 * @example
 * ```ts
 * @OutboxEvent('payment.captured', { groupKey: (e) => e.paymentId })
 * export class PaymentCaptured {
 *   constructor(readonly paymentId: string, readonly amountCents: number) {}
 * }
 * ```
 * @throws InvalidSubjectError for an unpublishable subject; InvalidOptionError when another class already has it.
 */
export function OutboxEvent<E extends object>(subject: string, options: OutboxEventOptions<E> = {}): (type: abstract new (...args: never[]) => E) => void {
  checkSubject(subject);
  return (type) => {
    const existing = bySubject.get(subject);
    if (existing && existing.type !== type) {
      throw new InvalidOptionError('subject', `one event class per subject (${existing.type.name} already uses it)`, subject);
    }
    const mapping = { ...options, subject, type } as OutboxEventMapping;
    byClass.set(type, mapping);
    bySubject.set(subject, mapping);
  };
}

/** The mapping of an event's class (or of its nearest decorated base class), if any. */
export function outboxEventMappingOf(event: object): OutboxEventMapping | undefined {
  for (let proto = Object.getPrototypeOf(event); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const mapping = byClass.get(proto.constructor);
    if (mapping) return mapping;
  }
  return undefined;
}

/** The mapping registered for a subject, if any. */
export function outboxEventMappingFor(subject: string): OutboxEventMapping | undefined {
  return bySubject.get(subject);
}
