import { OutboxError } from '@tx-outbox/outbox-core';
import { errorText } from '@tx-outbox/outbox-core/internal';

/** A step of the inbox's partition rotation failed for another reason than a lock timeout (see rotateInboxPartitions). */
export class InboxPartitionStepError extends OutboxError {
  /** E.g. `attach inbox_p20261208`. */
  readonly step: string;
  /** The database's SQLSTATE, when it gave one. */
  readonly code: string | undefined;
  constructor(step: string, cause: unknown) {
    super(`Inbox partition step "${step}" failed: ${errorText(cause)}. It is tried again at the next retention run.`, { cause });
    this.name = 'InboxPartitionStepError';
    this.step = step;
    this.code = (cause as { code?: string })?.code;
  }
}
