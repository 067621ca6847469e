import type { EventContract } from '@tx-outbox/outbox-core';
import type { EventToMessage } from './OutboxEventPublisher.js';

/** Options of `OutboxCqrsModule.forRoot`. */
export interface OutboxCqrsModuleOptions {
  /** Maps an event to its outbox message (or `undefined`: in memory only). @defaultValue the class's `@OutboxEvent` mapping */
  toMessage?: EventToMessage;
  /** Check every body against this contract before writing (see `outbox.typed`). @defaultValue undefined (unchecked) */
  contract?: EventContract;
}
