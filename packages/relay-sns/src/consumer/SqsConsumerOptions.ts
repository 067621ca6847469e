import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { checkBoolean, checkInteger } from '@tx-outbox/outbox-core/internal';
import type { InboxStore } from '@tx-outbox/outbox-core';
import type { AwsClientOptions } from '../aws/AwsClientOptions.js';
import type { ClaimCheckReadOptions } from '../claimCheck/ClaimCheckReader.js';
import type { ConsumedMessage } from './ConsumedMessage.js';
import { MAX_VISIBILITY_SECONDS } from './VisibilityHeartbeat.js';
import { describeConsumerError } from './describeConsumerError.js';
import { checkInboxOption } from './receiveOutboxMessage.js';

/** Where an error reported to `onError` happened. */
export interface SqsConsumerErrorContext {
  /**
   * `receive`: ReceiveMessage failed (tried again after `retryInMs`, which doubles from 1 s up to 30 s
   * while receives keep failing); `decode`: not an outbox message
   * (left for the redrive policy); `payload`: a claim-checked body could not be read from S3
   * (`ClaimCheckReadError`; left for redelivery); `handler`: the handler or the inbox store threw (left for redelivery);
   * `delete` / `visibility`: acknowledging, delaying or extending the visibility of the message failed
   * (`SqsEntryRefusedError` when SQS refused its entry of a batch; an extension is tried again at the
   * heartbeat's next tick, a quarter visibility timeout later); `lease`: renewing the inbox lease of a
   * running handler failed (tried again a third of `leaseMs` later); `listener`: a listener of
   * `consumer.on(...)` threw. A copy of a message found in progress elsewhere is not an error: see the
   * `message:deferred` event.
   */
  stage: 'receive' | 'decode' | 'payload' | 'handler' | 'delete' | 'visibility' | 'lease' | 'listener';
  /** The queue the consumer reads. */
  queueUrl: string;
  /** `receive`: how long the consumer waits before its next ReceiveMessage. */
  retryInMs?: number;
  /** The decoded message, when decoding got that far. */
  message?: ConsumedMessage;
  /** The SQS message, when there is one. */
  raw?: Message;
}

/** Idempotent receipt through `handleOnce`: the handler runs at most once to completion per outbox id. */
export interface SqsConsumerInboxOptions {
  store: InboxStore;
  /** Name of this consumer; each consumer keeps its own records. */
  consumer: string;
  /**
   * How long the inbox record protects a handler before another instance may take the message over; it
   * is renewed every third of it while the handler runs, so it bounds how long a crashed consumer's
   * message waits, not how long a handler may take. With `TransactionalInboxStore` in its own transaction
   * there is no lease: it is how long a copy that found the first copy still running stays away.
   * @defaultValue 60000
   */
  leaseMs?: number;
  /** How long a processed id is remembered. @defaultValue 604800000 (7 days) */
  ttlMs?: number;
  /** Told of each duplicate the inbox suppressed (the handler did not run), e.g. to count them. Must not throw. */
  onDuplicate?: (message: ConsumedMessage) => void;
}

export interface SqsConsumerOptions extends AwsClientOptions<SQSClient> {
  queueUrl: string;
  /** Handles one message. Resolve to have it deleted; throw to leave it for redelivery. */
  handler: (message: ConsumedMessage) => Promise<void>;
  /** Handlers running at once (and so messages held at once). @defaultValue 10 */
  concurrency?: number;
  /** Long-poll wait of each ReceiveMessage, 0 to 20 seconds. @defaultValue 20 */
  waitTimeSeconds?: number;
  /** Visibility timeout of received messages, in seconds. @defaultValue the queue's setting (read once with GetQueueAttributes) */
  visibilityTimeout?: number;
  /**
   * While a handler runs, extend its message's visibility every half visibility timeout
   * (ChangeMessageVisibility, up to SQS's 12-hour cap), so a handler slower than the timeout is not
   * handed the same message again meanwhile. Failed extensions are reported (stage `visibility`), not fatal.
   * @defaultValue `true`
   */
  extendVisibility?: boolean;
  /**
   * After a handler failure, make the message visible again after this many seconds
   * (ChangeMessageVisibility) instead of waiting out the whole visibility timeout.
   * @defaultValue undefined (the visibility timeout decides)
   */
  retryDelaySeconds?: number;
  /** Deduplicate on the outbox id with an {@link InboxStore}. @defaultValue undefined (plain at-least-once) */
  inbox?: SqsConsumerInboxOptions;
  /** Called for every error; must not throw. @defaultValue logs with `console.error` */
  onError?: (error: unknown, context: SqsConsumerErrorContext) => void;
  /**
   * Claim-checked messages (a pointer to S3 in AWS's extended-client format) are read from S3 before the
   * handler sees them, always; this only says with which client. @defaultValue an S3 client made from
   * `region` and `endpoint` on the first such message (needs `@aws-sdk/client-s3`)
   */
  claimCheck?: ClaimCheckReadOptions;
}

export type ResolvedSqsConsumerOptions = Required<Pick<SqsConsumerOptions, 'queueUrl' | 'handler' | 'concurrency' | 'waitTimeSeconds' | 'extendVisibility' | 'onError'>> &
  Pick<SqsConsumerOptions, 'visibilityTimeout' | 'retryDelaySeconds' | 'inbox'>;


/** Applies defaults and validates. @throws InvalidOptionError naming the option. */
export function resolveSqsConsumerOptions(options: SqsConsumerOptions): ResolvedSqsConsumerOptions {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options', 'an object', options);
  const { queueUrl, handler } = options;
  if (typeof queueUrl !== 'string' || queueUrl === '') throw new InvalidOptionError('queueUrl', 'a non-empty queue URL', queueUrl);
  if (typeof handler !== 'function') throw new InvalidOptionError('handler', 'an async function (message) => void', handler);
  const concurrency = checkInteger('concurrency', options.concurrency ?? 10, { min: 1 });
  const waitTimeSeconds = checkInteger('waitTimeSeconds', options.waitTimeSeconds ?? 20, { min: 0, max: 20 });
  const seconds = { min: 0, max: MAX_VISIBILITY_SECONDS };
  const visibilityTimeout = options.visibilityTimeout === undefined ? undefined : checkInteger('visibilityTimeout', options.visibilityTimeout, seconds);
  const retryDelaySeconds = options.retryDelaySeconds === undefined ? undefined : checkInteger('retryDelaySeconds', options.retryDelaySeconds, seconds);
  const inbox = options.inbox;
  checkInboxOption(inbox);
  const extendVisibility = checkBoolean('extendVisibility', options.extendVisibility ?? true);
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new InvalidOptionError('onError', 'a function', options.onError);
  const onError = options.onError ?? ((error, context) => console.error(`SqsConsumer: ${describeConsumerError(error, context)}:`, error));
  return { queueUrl, handler, concurrency, waitTimeSeconds, visibilityTimeout, retryDelaySeconds, extendVisibility, inbox, onError };
}
