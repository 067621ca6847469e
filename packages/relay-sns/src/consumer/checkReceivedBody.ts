import { errorText, validateEventBody } from '@tx-outbox/outbox-core/internal';
import type { EventContract, InvalidEventBodyError } from '@tx-outbox/outbox-core';
import type { ConsumedMessage } from './ConsumedMessage.js';

/** Told of a received body its schema refuses; the message is then acknowledged without running the handler. Must not throw. */
export type InvalidBodyListener = (error: InvalidEventBodyError, message: ConsumedMessage) => void;

/** Logs the refused body's message id, subject and issues with `console.error`. */
export const logInvalidBody: InvalidBodyListener = (error) => console.error(`outbox consumer: ${error.message}`);

/**
 * The consumers' one rule for a body the contract's schema refuses: a redelivery carries the same body,
 * so retrying cannot help. The message is reported (`onInvalidBody`, with its id and the issues) and
 * acknowledged: `undefined` means "do not run the handler". Otherwise resolves to the message with the
 * schema's output as body. A subject the contract does not declare passes through unchecked.
 */
export async function checkReceivedBody(
  contract: EventContract,
  message: ConsumedMessage,
  onInvalidBody: InvalidBodyListener = logInvalidBody,
): Promise<ConsumedMessage | undefined> {
  if (!Object.hasOwn(contract.events, message.subject)) return message;
  try {
    return { ...message, body: await validateEventBody(contract, message.subject, message.body, { messageId: message.id }) };
  } catch (error) {
    if ((error as Error)?.name !== 'InvalidEventBodyError') throw error;
    try {
      onInvalidBody(error as InvalidEventBodyError, message);
    } catch (listenerError) {
      console.error(`outbox consumer: onInvalidBody threw: ${errorText(listenerError)}`);
    }
    return undefined;
  }
}
