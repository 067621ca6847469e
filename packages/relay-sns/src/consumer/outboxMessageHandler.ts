import type { Message } from '@aws-sdk/client-sqs';
import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { ClaimCheckReader, type ClaimCheckReadOptions } from '../claimCheck/ClaimCheckReader.js';
import { readClaimCheckedBody } from '../claimCheck/readClaimCheckedBody.js';
import type { ConsumedMessage } from './ConsumedMessage.js';
import { checkInboxOption, handleReceivedMessage, receiveOutboxMessage } from './receiveOutboxMessage.js';
import type { SqsConsumerInboxOptions } from './SqsConsumerOptions.js';

/** Options of {@link outboxMessageHandler}. */
export interface OutboxMessageHandlerOptions {
  /** Deduplicate on the outbox id with an inbox store (`handleOnce`). @defaultValue undefined (at least once) */
  inbox?: SqsConsumerInboxOptions;
  /** Queue name for the CONSUMER span. @defaultValue `'sqs'` */
  queueName?: string;
  /**
   * Claim-checked messages (a pointer to S3) are read from S3 before the handler sees them; this says with
   * which client. @defaultValue an S3 client of the default region, made on the first such message
   */
  claimCheck?: ClaimCheckReadOptions;
}

/**
 * Gives a handler of another SQS consumer library — `sqs-consumer`'s `handleMessage`, a
 * `@ssut/nestjs-sqs` `@SqsMessageHandler` method — this package's decoding (raw or SNS envelope) and
 * inbox deduplication (and a claim-checked body read from S3). The returned function takes the SDK `Message` those libraries pass, resolves
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
  const claimCheck = new ClaimCheckReader(options.claimCheck);
  return async (raw) => {
    const received = await readClaimCheckedBody(receiveOutboxMessage(raw), claimCheck);
    await handleReceivedMessage(received, { handler, inbox, destination: queueName });
    return raw;
  };
}
