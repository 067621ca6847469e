import { SetMetadata } from '@nestjs/common';
import type { ContractSubject, EventContract } from '@tx-outbox/outbox-core';
import type { TypedConsumedMessage } from '../consumer/TypedConsumedMessage.js';
import { OUTBOX_HANDLER_PATTERNS } from './tokens.js';

/**
 * Declares a provider method as the handler of outbox messages whose subject matches one of
 * `patterns`, written like the routes: `payment.created` (that subject), `payment.*` (prefix), `*` (all).
 * `OutboxConsumerModule` finds these methods at bootstrap. For one message, the exact subject wins over
 * a prefix, and the longest prefix over a shorter one; exactly one handler runs.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class PaymentHandlers {
 *   @OnOutboxMessage('payment.created')
 *   async created({ body }: ConsumedMessage) { ... }
 * }
 * ```
 */
export function OnOutboxMessage(...patterns: [string, ...string[]]): MethodDecorator {
  return SetMetadata(OUTBOX_HANDLER_PATTERNS, patterns);
}

/** A method decorator that only fits a method taking the message of subject `S` typed by the contract. */
export type TypedOutboxHandlerDecorator<C extends EventContract, S extends ContractSubject<C>> = <
  M extends (message: TypedConsumedMessage<C, S>) => Promise<void> | void,
>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

/**
 * `@OnOutboxMessage` bound to an event contract: `@On('payment.created')` accepts only a method whose
 * parameter takes that subject's body (a wrong field type does not compile). Give the module the same
 * `contract` to have bodies checked against their schemas on receipt.
 *
 * @example
 * ```ts
 * const OnPaymentEvent = typedOnOutboxMessage(paymentEvents);
 * class Notifications {
 *   @OnPaymentEvent('payment.created')
 *   async created({ body }: TypedConsumedMessage<typeof paymentEvents, 'payment.created'>) { ... }
 * }
 * ```
 */
export function typedOnOutboxMessage<C extends EventContract>(_contract: C): <S extends ContractSubject<C>>(subject: S) => TypedOutboxHandlerDecorator<C, S> {
  return (subject) => OnOutboxMessage(subject) as TypedOutboxHandlerDecorator<C, never>;
}
