import { OutboxError } from '@tx-outbox/outbox-core';

/**
 * SQS refused one entry of a DeleteMessageBatch or ChangeMessageVisibilityBatch call (its
 * `BatchResultErrorEntry`). `senderFault: false` is SQS's own trouble and the entry is sent again;
 * `true` (an expired receipt handle, a message no longer in flight) is not: the message is left for
 * redelivery, where the inbox recognises a handled one.
 */
export class SqsEntryRefusedError extends OutboxError {
  readonly code: string;
  readonly senderFault: boolean;
  constructor(operation: string, code: string, senderFault: boolean, detail: string | undefined) {
    super(`SQS refused a ${operation} entry: ${code}${detail ? ` (${detail})` : ''}${senderFault ? '' : ', an error on its side'}.`);
    this.name = 'SqsEntryRefusedError';
    this.code = code;
    this.senderFault = senderFault;
  }
}
