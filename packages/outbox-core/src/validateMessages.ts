import { InvalidMessageError } from './errors.js';
import type { OutboxMessageInput } from './OutboxMessage.js';
import type { PrepareMessageOptions } from './prepareMessage.js';
import { traceContextPlaceholder } from './tracing/traceContextPlaceholder.js';
import { type ValidatedMessage, validateMessage } from './validateMessage.js';

/**
 * Validates a whole call's messages before anything is written or traced: one bad message refuses
 * them all, and no id is drawn nor `create` span recorded for any of them. Pass the result to
 * {@link stampMessages} once the call is accepted.
 * @throws InvalidMessageError (NonSerializableBodyError, MessageTooLargeError, …)
 */
export function validateMessages(messages: readonly OutboxMessageInput[], options: PrepareMessageOptions = {}): ValidatedMessage[] {
  if (!Array.isArray(messages)) {
    throw new InvalidMessageError('messages', `expected an array of messages, got ${typeof messages}.`);
  }
  // All messages of a call are created in the same context, so their trace headers have the same size.
  const traceHeaders = traceContextPlaceholder();
  return messages.map((message) => validateMessage(message, options.maxMessageBytes, traceHeaders));
}
