import type { Message } from '@aws-sdk/client-sqs';
import { InvalidOptionError, handleOnce } from '@tx-outbox/outbox-core';
import { markActiveSpanDuplicate, runInProcessSpan } from '@tx-outbox/outbox-core/internal';
import type { ClaimCheckPointer } from '../claimCheck/claimCheckPointer.js';
import type { ConsumedMessage } from './ConsumedMessage.js';
import { decodeSqsMessage } from './decodeSqsMessage.js';
import type { SqsConsumerInboxOptions } from './SqsConsumerOptions.js';

/** A delivery decoded for a handler, plus the body text the inbox fingerprints. */
export interface ReceivedOutboxMessage {
  message: ConsumedMessage;
  bodyText: string;
  /** Set while a claim-checked message's body is still its pointer (see readClaimCheckedBody). */
  claimCheck?: ClaimCheckPointer;
}

/** What a receipt did: ran the handler, or found the message already handled and skipped it. */
export type ReceiptOutcome = 'processed' | 'duplicate';

/** How {@link handleReceivedMessage} runs a handler. */
export interface ReceiptOptions {
  handler: (message: ConsumedMessage) => Promise<void> | void;
  /** Deduplicate on the outbox id (handleOnce); without it every delivery runs the handler. */
  inbox?: SqsConsumerInboxOptions;
  /** Queue (or source) name for the CONSUMER span. */
  destination: string;
  /** Told about a failed renewal of the inbox lease while the handler runs (see handleOnce's `onRenewError`). */
  onRenewError?: (error: unknown) => void;
}

/**
 * Decodes an SQS message the way every consumer front door does (SqsConsumer, the Lambda handler,
 * the sqs-consumer wrapper); a claim-checked one still has its pointer as body (`claimCheck` set).
 * @throws UndecodableMessageError when it is not an outbox message.
 */
export function receiveOutboxMessage(raw: Message): ReceivedOutboxMessage {
  const { bodyText, claimCheck, ...fields } = decodeSqsMessage(raw);
  const received = { message: { ...fields, receiveCount: Number(raw.Attributes?.ApproximateReceiveCount ?? 1), raw }, bodyText };
  return claimCheck ? { ...received, claimCheck } : received;
}

/**
 * Runs the handler for one decoded delivery in a CONSUMER span of the producer's trace, through the
 * inbox when one is given: a duplicate resolves `'duplicate'` without running the handler and is told
 * to `inbox.onDuplicate`. @throws what the handler or the inbox throws (leave the message for redelivery).
 */
export async function handleReceivedMessage({ message, bodyText }: ReceivedOutboxMessage, options: ReceiptOptions): Promise<ReceiptOutcome> {
  const { handler, inbox, destination, onRenewError } = options;
  return runInProcessSpan(
    { messageId: message.id, headers: message.traceContext, system: 'aws_sqs', destination, consumer: inbox?.consumer, subject: message.subject },
    async () => {
      if (!inbox) {
        await handler(message);
        return 'processed';
      }
      const outcome = await handleOnce(
        inbox.store,
        { consumer: inbox.consumer, messageId: message.id, payload: bodyText, leaseMs: inbox.leaseMs, ttlMs: inbox.ttlMs, onRenewError },
        () => handler(message),
      );
      if (outcome.status === 'processed') return 'processed';
      markActiveSpanDuplicate();
      notifyDuplicate(inbox, message);
      return 'duplicate';
    },
  );
}

/** A throwing `onDuplicate` must not turn a suppressed duplicate into a redelivery. */
function notifyDuplicate(inbox: SqsConsumerInboxOptions, message: ConsumedMessage): void {
  try {
    inbox.onDuplicate?.(message);
  } catch (error) {
    process.emitWarning(`inbox onDuplicate threw: ${(error as Error)?.message ?? error}`, 'TxOutboxConsumerWarning');
  }
}

/** Checks an `inbox` option of any consumer front door. @throws InvalidOptionError naming `inbox.store`, `inbox.consumer` or `inbox.onDuplicate`. */
export function checkInboxOption(inbox: SqsConsumerInboxOptions | undefined): void {
  if (inbox === undefined) return;
  if (inbox === null || typeof inbox.store?.begin !== 'function') throw new InvalidOptionError('inbox.store', 'an InboxStore', inbox?.store);
  if (typeof inbox.consumer !== 'string' || inbox.consumer === '') throw new InvalidOptionError('inbox.consumer', 'a non-empty string', inbox.consumer);
  if (inbox.onDuplicate !== undefined && typeof inbox.onDuplicate !== 'function') throw new InvalidOptionError('inbox.onDuplicate', 'a function', inbox.onDuplicate);
}
