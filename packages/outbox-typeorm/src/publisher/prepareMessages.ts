import { InvalidMessageError, prepareMessage } from '@tx-outbox/outbox-core';
import type { OutboxMessageInput, PreparedMessage } from '@tx-outbox/outbox-core';

/**
 * Validates a whole call's messages before anything is written: the one rule shared by
 * `TransactionalOutbox.sendEvents` and `insertOutboxMessages`. One bad message refuses them all.
 * @throws InvalidMessageError (NonSerializableBodyError, MessageTooLargeError, …)
 */
export function prepareMessages(messages: readonly OutboxMessageInput[], maxMessageBytes: number): PreparedMessage[] {
  if (!Array.isArray(messages)) {
    throw new InvalidMessageError('messages', `expected an array of messages, got ${typeof messages}.`);
  }
  return messages.map((message) => prepareMessage(message, { maxMessageBytes }));
}
