import { InvalidOptionError } from '@tx-outbox/outbox-core';
import type { ContractSubject, EventContract } from '@tx-outbox/outbox-core';
import { UnhandledSubjectError } from '../nest/UnhandledSubjectError.js';
import { checkReceivedBody, type InvalidBodyListener } from './checkReceivedBody.js';
import type { ConsumedMessage } from './ConsumedMessage.js';
import type { TypedConsumedMessage } from './TypedConsumedMessage.js';

/** One handler per subject of the contract, each given the body its subject declares. */
export type ContractHandlers<C extends EventContract> = {
  [S in ContractSubject<C>]?: (message: TypedConsumedMessage<C, S>) => Promise<void> | void;
};

/** Options of {@link contractHandler}. */
export interface ContractHandlerOptions {
  /**
   * Told of a body the subject's schema refuses (an `InvalidEventBodyError` with `messageId` and
   * `issues`). That message is acknowledged without running a handler: a redelivery would carry the same
   * body. Keep a copy here if you need one (your own dead-letter store). Must not throw.
   * @defaultValue logs with `console.error`
   */
  onInvalidBody?: InvalidBodyListener;
  /**
   * A subject with no handler here: `'retry'` throws `UnhandledSubjectError` (the queue's redrive policy
   * takes it); `'acknowledge'` drops it — what an old consumer does with a newer version it does not know yet.
   * @defaultValue `'retry'`
   */
  unknownSubject?: 'retry' | 'acknowledge';
}

/**
 * A message handler for any consumer front door (`SqsConsumer`'s `handler`, `createSqsLambdaHandler`,
 * `outboxMessageHandler`) that dispatches by subject to handlers typed by the contract, after checking
 * the body against the subject's schema.
 *
 * @example
 * ```ts
 * const consumer = new SqsConsumer({
 *   queueUrl,
 *   handler: contractHandler(paymentEvents, {
 *     'payment.created': async ({ body }) => notify(body.paymentId, body.amountCents),
 *   }),
 * });
 * ```
 * @throws InvalidOptionError when a handler is not a function.
 */
export function contractHandler<C extends EventContract>(
  contract: C,
  handlers: ContractHandlers<C>,
  options: ContractHandlerOptions = {},
): (message: ConsumedMessage) => Promise<void> {
  for (const [subject, handler] of Object.entries(handlers ?? {})) {
    if (typeof handler !== 'function') throw new InvalidOptionError(`handlers[${JSON.stringify(subject)}]`, 'an async function (message) => void', handler);
  }
  const { onInvalidBody, unknownSubject = 'retry' } = options;
  return async (message) => {
    const handler = Object.hasOwn(handlers, message.subject) ? (handlers as Record<string, (m: ConsumedMessage) => Promise<void> | void>)[message.subject] : undefined;
    if (!handler) {
      if (unknownSubject === 'retry') throw new UnhandledSubjectError(message.subject, message.id);
      return;
    }
    const checked = await checkReceivedBody(contract, message, onInvalidBody);
    if (checked) await handler(checked);
  };
}
