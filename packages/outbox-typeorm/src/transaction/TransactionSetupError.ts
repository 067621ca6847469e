import { OutboxError } from '@tx-outbox/outbox-core';

/**
 * The transaction library the outbox joins is not set up the way it is configured to find it: found at
 * startup (OutboxModule, createTransactionalDataSource) rather than at the first `sendEvent`. The message
 * names the library and the call or option that fixes it; `library` is the one it was looking for.
 */
export class TransactionSetupError extends OutboxError {
  readonly library: string;
  constructor(library: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransactionSetupError';
    this.library = library;
  }
}
