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
  /** The handler (or the inbox) threw; the message is left for redelivery. */
  'message:failed': { message: ConsumedMessage; error: unknown; durationMs: number };
  /** Any error the consumer reports to `onError`, with its stage. */
  'consumer:error': { stage: SqsConsumerErrorContext['stage']; error: unknown };
}
