import { OutboxError } from '@tx-outbox/outbox-core';

/** An operator's operation matched more messages than it may touch without `confirm: true` (`--yes`). Nothing was changed. */
export class ConfirmationRequiredError extends OutboxError {
  /** The operation refused: `republish` or `purge`. */
  readonly operation: string;
  /** How many messages matched. */
  readonly matched: number;
  /** The threshold above which confirmation is needed. */
  readonly confirmAbove: number;

  constructor(operation: string, matched: number, confirmAbove: number) {
    super(
      `${operation} matched ${matched} messages, more than ${confirmAbove}; nothing was changed. ` +
        `Check the selection with a dry run, then confirm (confirm: true, or --yes on the command line).`,
    );
    this.name = 'ConfirmationRequiredError';
    this.operation = operation;
    this.matched = matched;
    this.confirmAbove = confirmAbove;
  }
}
