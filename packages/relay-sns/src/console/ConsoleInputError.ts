import { OutboxError } from '@tx-outbox/outbox-core';

/** A console form or link named something the console refuses (shown on the page with a 400). Nothing was changed. */
export class ConsoleInputError extends OutboxError {
  /** The field that is wrong. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'ConsoleInputError';
    this.field = field;
  }
}
