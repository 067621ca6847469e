import { validateEventBody } from '@tx-outbox/outbox-core/internal';
import type { ContractInput, ContractSubject, EventContract, OutboxMessageInput } from '@tx-outbox/outbox-core';
import type { SendEventOptions } from './TransactionalOutboxOptions.js';

/** A message of subject `S` with the body its contract declares for `S`. */
export type TypedMessageInput<C extends EventContract, S extends ContractSubject<C>> = Omit<OutboxMessageInput, 'subject' | 'body'> & {
  subject: S;
  body: ContractInput<C, S>;
};

/** Any message the contract declares (a union over its subjects), for `sendEvents`. */
export type ContractMessageInput<C extends EventContract> = { [S in ContractSubject<C>]: TypedMessageInput<C, S> }[ContractSubject<C>];

/** The untyped publisher calls a {@link TypedOutbox} writes through (a `TransactionalOutbox`). */
interface UntypedOutbox {
  sendEvents(messages: readonly OutboxMessageInput[], options?: SendEventOptions): Promise<string[]>;
}

/**
 * The publisher typed by an event contract: `body` is narrowed by `subject` (a wrong field does not
 * compile), and a subject with a schema has its body checked before anything is written. The body is
 * stored as given, not the schema's output, so consumers apply the same schema (defaults, transforms)
 * once, on receipt. Made by `outbox.typed(contract)`; same transactions and options as the outbox.
 *
 * @example
 * ```ts
 * const payments = outbox.typed(paymentEvents);
 * await payments.sendEvent({ subject: 'payment.created', body: { paymentId, amountCents: 1250 } });
 * ```
 */
export class TypedOutbox<C extends EventContract> {
  constructor(
    private readonly outbox: UntypedOutbox,
    /** The contract messages are typed and checked by. */
    readonly contract: C,
  ) {}

  /**
   * Checks the body against the contract, then writes the message like `TransactionalOutbox.sendEvent`.
   * @throws UnknownEventSubjectError, InvalidEventBodyError (with `issues`), or what `sendEvent` throws; nothing is written.
   */
  async sendEvent<S extends ContractSubject<C>>(message: TypedMessageInput<C, S>, options?: SendEventOptions): Promise<string> {
    const [id] = await this.sendEvents([message as ContractMessageInput<C>], options);
    return id!;
  }

  /** Checks every body, then writes them all in one statement; one invalid body refuses the whole call. */
  async sendEvents(messages: readonly ContractMessageInput<C>[], options?: SendEventOptions): Promise<string[]> {
    for (const message of messages) await validateEventBody(this.contract, message?.subject, message?.body);
    return this.outbox.sendEvents(messages, options);
  }
}
