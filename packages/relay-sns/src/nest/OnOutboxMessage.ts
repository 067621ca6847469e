import { SetMetadata } from '@nestjs/common';
import { OUTBOX_HANDLER_PATTERNS } from './tokens.js';

/**
 * Declares a provider method as the handler of outbox messages whose subject matches one of
 * `patterns`, written like the routes: `payment.created` (that subject), `payment.*` (prefix), `*` (all).
 * `OutboxConsumerModule` finds these methods at bootstrap. For one message, the exact subject wins over
 * a prefix, and the longest prefix over a shorter one; exactly one handler runs.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class PaymentHandlers {
 *   @OnOutboxMessage('payment.created')
 *   async created({ body }: ConsumedMessage) { ... }
 * }
 * ```
 */
export function OnOutboxMessage(...patterns: [string, ...string[]]): MethodDecorator {
  return SetMetadata(OUTBOX_HANDLER_PATTERNS, patterns);
}
