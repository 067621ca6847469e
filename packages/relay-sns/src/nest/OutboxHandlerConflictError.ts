import { OutboxError } from '@tx-outbox/outbox-core';

/** Two `@OnOutboxMessage` methods declare the same pattern: which one runs would be a guess. */
export class OutboxHandlerConflictError extends OutboxError {
  readonly pattern: string;
  constructor(pattern: string, first: string, second: string) {
    super(`@OnOutboxMessage(${JSON.stringify(pattern)}) is declared by both ${first} and ${second}; give each pattern one handler.`);
    this.name = 'OutboxHandlerConflictError';
    this.pattern = pattern;
  }
}
