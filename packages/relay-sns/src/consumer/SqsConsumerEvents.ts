import type { ConsumedMessage } from './ConsumedMessage.js';
import type { SqsConsumerErrorContext } from './SqsConsumerOptions.js';

/**
 * What an {@link SqsConsumer} reports to `consumer.on(name, listener)` — what `registerConsumerMetrics`
 * counts. Listeners run synchronously; one that throws is reported to `onError` (stage `listener`) and
 * cannot stop the consumer.
 */
export interface SqsConsumerEvents {
  /** The handler finished (`processed`), or the inbox recognised a redelivery (`duplicate`); the message is then deleted. */
  'message:handled': { message: ConsumedMessage; outcome: 'processed' | 'duplicate'; durationMs: number };
  /**
   * The inbox found the same outbox id in progress at another instance (or in another delivery here):
   * the message was put back for `retryInSeconds` (until that instance's lease ends) without running the
   * handler. Not a failure: nothing is reported to `onError`; log it at debug level if at all.
   */
  'message:deferred': { message: ConsumedMessage; reason: 'in_progress'; retryInSeconds: number };
  /** The handler (or the inbox) threw; the message is left for redelivery. */
  'message:failed': { message: ConsumedMessage; error: unknown; durationMs: number };
  /** Any error the consumer reports to `onError`, with its stage. */
  'consumer:error': { stage: SqsConsumerErrorContext['stage']; error: unknown };
}
