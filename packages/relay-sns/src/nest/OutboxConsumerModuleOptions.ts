import type { EventContract, InboxStore } from '@tx-outbox/outbox-core';
import type { InvalidBodyListener } from '../consumer/checkReceivedBody.js';
import type { ConsumedMessage } from '../consumer/ConsumedMessage.js';
import type { SqsConsumerOptions } from '../consumer/SqsConsumerOptions.js';

/** What happens to a message whose subject no `@OnOutboxMessage` handler matches. */
export type UnknownSubjectPolicy =
  /** Leave it on the queue (`UnhandledSubjectError`): after the queue's `maxReceiveCount` it moves to your dead-letter queue. */
  | 'retry'
  /** Acknowledge it without handling (recorded in the inbox like a handled one), with a warning log. */
  | 'acknowledge';

/** Options of `OutboxConsumerModule`. */
export interface OutboxConsumerModuleOptions
  extends Pick<SqsConsumerOptions, 'queueUrl' | 'client' | 'region' | 'endpoint' | 'concurrency' | 'waitTimeSeconds' | 'visibilityTimeout' | 'retryDelaySeconds' | 'onError' | 'claimCheck'> {
  /** Name of this consumer in the inbox; each consumer keeps its own records. */
  consumer: string;
  /**
   * The inbox every handler runs through. `TransactionalInboxStore` runs each handler in a transaction
   * with its inbox record: a handler that throws rolls back its writes and the message is redelivered.
   */
  inbox: InboxStore;
  /** How long a handler may run before another instance may take the message over. @defaultValue 60000 */
  leaseMs?: number;
  /** How long a handled id is remembered. @defaultValue 604800000 (7 days) */
  ttlMs?: number;
  /** Told of each duplicate the inbox suppressed (the handler did not run), e.g. to count it. Must not throw. */
  onDuplicate?: (message: ConsumedMessage) => void;
  /**
   * The event contract: a message whose subject has a schema there is checked before its handler runs.
   * A refused body is reported to `onInvalidBody` and acknowledged without running the handler (a
   * redelivery would carry the same body). @defaultValue undefined (bodies are not checked)
   */
  contract?: EventContract;
  /** Told of each body the contract refused (with `messageId` and `issues`). Must not throw. @defaultValue a warning log */
  onInvalidBody?: InvalidBodyListener;
  /** @defaultValue `'retry'` */
  unknownSubject?: UnknownSubjectPolicy;
  /** Purge expired inbox records every this many ms (0: never; the sidecar may do it). @defaultValue 60000 */
  inboxRetentionIntervalMs?: number;
}
