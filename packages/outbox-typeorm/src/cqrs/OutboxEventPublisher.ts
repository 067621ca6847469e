import type { OutboxMessageInput } from '@tx-outbox/outbox-core';
import type { IEvent, IEventPublisher } from '@nestjs/cqrs';
import type { SendEventOptions } from '../publisher/TransactionalOutboxOptions.js';
import { outboxEventMappingOf } from './OutboxEvent.js';

/** Maps an event to its outbox message, or `undefined` to leave it to the in-memory bus. */
export type EventToMessage = (event: object) => OutboxMessageInput | undefined;

/** The part of a (typed) outbox the publisher writes through. */
export interface EventOutbox {
  sendEvents(messages: readonly never[], options?: SendEventOptions): Promise<string[]>;
}

/** The default {@link EventToMessage}: the event class's `@OutboxEvent` mapping. */
export const messageFromDecorator: EventToMessage = (event) => {
  const mapping = outboxEventMappingOf(event);
  if (!mapping) return undefined;
  const groupKey = mapping.groupKey?.(event);
  return { subject: mapping.subject, body: mapping.body ? mapping.body(event) : { ...event }, ...(groupKey === undefined ? {} : { groupKey }) };
};

/**
 * The EventBus publisher `OutboxCqrsModule` installs: events with an outbox mapping are written to the
 * outbox (in the transaction of the call; the returned promise settles when written), the others go to
 * the bus's previous publisher (in memory) as before.
 */
export class OutboxEventPublisher<EventBase extends IEvent = IEvent> implements IEventPublisher<EventBase> {
  constructor(
    private readonly outbox: EventOutbox,
    /** The publisher this one replaced: events without mapping, and received events, are published there. */
    readonly local: IEventPublisher<EventBase>,
    private readonly toMessage: EventToMessage = messageFromDecorator,
  ) {}

  publish<T extends EventBase>(event: T, dispatcherContext?: unknown, asyncContext?: never): unknown {
    return this.publishAll([event], dispatcherContext, asyncContext);
  }

  /** Writes the mapped events in one statement, in order; resolves when written. @throws what `sendEvents` throws (nothing is written). */
  publishAll<T extends EventBase>(events: T[], dispatcherContext?: unknown, asyncContext?: never): Promise<void> {
    const messages: OutboxMessageInput[] = [];
    for (const event of events ?? []) {
      const message = this.toMessage(event);
      if (message) messages.push(message);
      else this.local.publish(event, dispatcherContext, asyncContext);
    }
    if (messages.length === 0) return Promise.resolve();
    return this.outbox.sendEvents(messages as never[]).then(() => undefined);
  }
}
