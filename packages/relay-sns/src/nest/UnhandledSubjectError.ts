import { OutboxError } from '@tx-outbox/outbox-core';

/** No `@OnOutboxMessage` handler matches the message's subject (policy `unknownSubject: 'retry'`). */
export class UnhandledSubjectError extends OutboxError {
  readonly subject: string;
  readonly messageId: string;
  constructor(subject: string, messageId: string) {
    super(
      `No @OnOutboxMessage handler matches subject ${JSON.stringify(subject)} (message ${messageId}); it is left on the queue. ` +
        `Add a handler, or set unknownSubject: 'acknowledge' to drop such messages.`,
    );
    this.name = 'UnhandledSubjectError';
    this.subject = subject;
    this.messageId = messageId;
  }
}

/** Two `@OnOutboxMessage` methods declare the same pattern: which one runs would be a guess. */
export class OutboxHandlerConflictError extends OutboxError {
  readonly pattern: string;
  constructor(pattern: string, first: string, second: string) {
    super(`@OnOutboxMessage(${JSON.stringify(pattern)}) is declared by both ${first} and ${second}; give each pattern one handler.`);
    this.name = 'OutboxHandlerConflictError';
    this.pattern = pattern;
  }
}
