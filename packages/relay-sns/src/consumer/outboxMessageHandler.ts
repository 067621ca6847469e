import type { Message } from '@aws-sdk/client-sqs';
import { InvalidOptionError } from '@tx-outbox/outbox-core';
import type { ConsumedMessage } from './ConsumedMessage.js';
import { checkInboxOption, handleReceivedMessage, receiveOutboxMessage } from './receiveOutboxMessage.js';
import type { SqsConsumerInboxOptions } from './SqsConsumerOptions.js';

/** Options of {@link outboxMessageHandler}. */
export interface OutboxMessageHandlerOptions {
  /** Deduplicate on the outbox id with an inbox store (`handleOnce`). @defaultValue undefined (at least once) */
  inbox?: SqsConsumerInboxOptions;
  /** Queue name for the CONSUMER span. @defaultValue `'sqs'` */
  queueName?: string;
}

/**
 * Gives a handler of another SQS consumer library — `sqs-consumer`'s `handleMessage`, a
 * `@ssut/nestjs-sqs` `@SqsMessageHandler` method — this package's decoding (raw or SNS envelope) and
 * inbox deduplication. The returned function takes the SDK `Message` those libraries pass, resolves
 * with it once handled or found to be a duplicate (which tells `sqs-consumer` to delete it), and throws
 * when decoding or the handler fails (the message stays for redelivery). Structural: neither library is
 * a dependency.
 *
 * Have the library receive the attributes: `messageAttributeNames: ['All']` and
 * `messageSystemAttributeNames: ['ApproximateReceiveCount']`.
 *
 * @example
 * ```ts
 * const app = Consumer.create({
 *   queueUrl,
 *   messageAttributeNames: ['All'],
 *   handleMessage: outboxMessageHandler(async ({ subject, body }) => billing.apply(subject, body), {
 *     inbox: { store: inbox, consumer: 'billing' },
 *   }),
 * });
 * ```
 * @throws InvalidOptionError naming the option.
 */
export function outboxMessageHandler(
  handler: (message: ConsumedMessage) => Promise<void> | void,
  options: OutboxMessageHandlerOptions = {},
): (message: Message) => Promise<Message> {
  if (typeof handler !== 'function') throw new InvalidOptionError('handler', 'an async function (message) => void', handler);
  const { inbox, queueName = 'sqs' } = options;
  checkInboxOption(inbox);
  return async (raw) => {
    await handleReceivedMessage(receiveOutboxMessage(raw), { handler, inbox, destination: queueName });
    return raw;
  };
}
