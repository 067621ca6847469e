import { OutboxError } from '@tx-outbox/outbox-core';

/** No handler (`@OnOutboxMessage`, or `contractHandler`'s) matches the message's subject (policy `unknownSubject: 'retry'`). */
export class UnhandledSubjectError extends OutboxError {
  readonly subject: string;
  readonly messageId: string;
  constructor(subject: string, messageId: string) {
    super(
      `No handler matches subject ${JSON.stringify(subject)} (message ${messageId}); it is left on the queue. ` +
        `Add a handler, or set unknownSubject: 'acknowledge' to drop such messages.`,
    );
    this.name = 'UnhandledSubjectError';
    this.subject = subject;
    this.messageId = messageId;
  }
}
