import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { AggregateRoot, EventBus, type IEvent, type IEventPublisher } from '@nestjs/cqrs';
import { TransactionalOutbox } from '../publisher/TransactionalOutbox.js';
import { outboxEventMappingFor } from './OutboxEvent.js';
import type { OutboxCqrsModuleOptions } from './OutboxCqrsModuleOptions.js';
import { type EventOutbox, OutboxEventPublisher } from './OutboxEventPublisher.js';

/** DI token of the module's options. */
export const OUTBOX_CQRS_OPTIONS = Symbol('OUTBOX_CQRS_OPTIONS');

/** An aggregate whose `commit()` resolves once its events are written to the outbox. */
export type OutboxAggregate<T extends AggregateRoot> = Omit<T, 'commit'> & { commit(): Promise<void> };

/**
 * Joins `@nestjs/cqrs` and the outbox. Producer side: at module init it puts an
 * {@link OutboxEventPublisher} in front of the EventBus (when the app has a `TransactionalOutbox`, e.g.
 * from `OutboxModule`), and {@link mergeObjectContext} gives aggregates a `commit()` to await inside
 * the transaction. Consumer side: {@link dispatch} publishes a received message on the local EventBus,
 * so `@EventsHandler`s and sagas run.
 */
@Injectable()
export class OutboxEventBridge implements OnModuleInit {
  private local: IEventPublisher | undefined;
  private readonly logger = new Logger('OutboxEventBridge');

  constructor(
    @Inject(OUTBOX_CQRS_OPTIONS) private readonly options: OutboxCqrsModuleOptions,
    private readonly eventBus: EventBus,
    @Optional() @Inject(TransactionalOutbox) private readonly outbox?: TransactionalOutbox,
  ) {}

  onModuleInit(): void {
    const current = this.eventBus.publisher;
    this.local = current instanceof OutboxEventPublisher ? current.local : current;
    if (!this.outbox) {
      this.logger.log('no TransactionalOutbox in this app: events stay in memory; received ones can be dispatched');
      return;
    }
    const outbox: EventOutbox = this.options.contract ? this.outbox.typed(this.options.contract) : this.outbox;
    this.eventBus.publisher = new OutboxEventPublisher(outbox, this.local, this.options.toMessage);
  }

  /**
   * Like `EventPublisher.mergeObjectContext`, and `commit()` returns a promise: await it inside
   * `@Transactional()` so the events are written before the transaction commits (a `commit()` not
   * awaited could race the COMMIT).
   */
  mergeObjectContext<T extends AggregateRoot>(aggregate: T): OutboxAggregate<T> {
    const bus = this.eventBus;
    const target = aggregate as unknown as { publish(e: IEvent): unknown; publishAll(e: IEvent[]): unknown; commit(): Promise<void> };
    target.publish = (event) => bus.publish(event);
    target.publishAll = (events) => bus.publishAll(events);
    target.commit = async () => {
      const events = [...aggregate.getUncommittedEvents()];
      aggregate.uncommit();
      await bus.publishAll(events);
    };
    return aggregate as unknown as OutboxAggregate<T>;
  }

  /**
   * Rebuilds the `@OutboxEvent` class registered for the message's subject and publishes it on the
   * local EventBus (never back to the outbox). Handlers run as Nest runs them: after this returns, their
   * errors going to the UnhandledExceptionBus. @returns whether a class was registered for the subject.
   */
  dispatch(message: { subject: string; body: unknown }): boolean {
    const mapping = outboxEventMappingFor(message.subject);
    if (!mapping) return false;
    const event = mapping.fromBody
      ? mapping.fromBody(message.body)
      : Object.assign(Object.create(mapping.type.prototype as object) as object, message.body as object);
    (this.local ?? this.eventBus).publish(event);
    return true;
  }
}
