import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { checkInteger } from '@tx-outbox/outbox-core/internal';
import { destinationName } from '../brokerBatch/destinationName.js';
import { ClaimCheckReader, type ClaimCheckReadOptions } from '../claimCheck/ClaimCheckReader.js';
import { readClaimCheckedBody } from '../claimCheck/readClaimCheckedBody.js';
import type { ConsumedMessage } from '../consumer/ConsumedMessage.js';
import { checkInboxOption, handleReceivedMessage, receiveOutboxMessage } from '../consumer/receiveOutboxMessage.js';
import type { SqsConsumerInboxOptions } from '../consumer/SqsConsumerOptions.js';
import type { SqsBatchResponse, SqsEvent, SqsEventRecord } from './SqsEvent.js';
import { sqsRecordToMessage } from './sqsRecordToMessage.js';

/** Where a record failed, as told to `onError`. */
export interface SqsLambdaErrorContext {
  /**
   * `decode`: not an outbox message; `payload`: a claim-checked body could not be read from S3
   * (`ClaimCheckReadError`); `handler`: the handler or the inbox threw; `in-progress`: another
   * instance is handling the same outbox id (`MessageInProgressError`; not a failure of this record, the
   * default logs it at debug level); `skipped`: an earlier record of its FIFO group failed.
   */
  stage: 'decode' | 'payload' | 'handler' | 'in-progress' | 'skipped';
  record: SqsEventRecord;
  message?: ConsumedMessage;
}

/** Options of {@link createSqsLambdaHandler}. */
export interface SqsLambdaHandlerOptions {
  /** Handles one message. Resolve to have it deleted; throw to have Lambda retry it. */
  handler: (message: ConsumedMessage) => Promise<void> | void;
  /** Deduplicate on the outbox id with an inbox store (`handleOnce`). @defaultValue undefined (at least once) */
  inbox?: SqsConsumerInboxOptions;
  /** Records (FIFO: message groups) handled at once. @defaultValue 10 */
  concurrency?: number;
  /** Told of every failed record. Must not throw. @defaultValue logs with `console.error` */
  onError?: (error: unknown, context: SqsLambdaErrorContext) => void;
  /**
   * Claim-checked records (a pointer to S3) are read from S3 before the handler sees them; this says with
   * which client. @defaultValue an S3 client of the function's region, made on the first such record
   */
  claimCheck?: ClaimCheckReadOptions;
}

/**
 * A Lambda handler for an SQS event source: decodes each record like `SqsConsumer` (raw or SNS
 * envelope; a claim-checked body read from S3), runs the handler through the inbox (a redelivered id is skipped), and returns the partial
 * batch response, so only the records that failed are retried. Enable `ReportBatchItemFailures` on
 * the event source mapping.
 *
 * On a FIFO queue the records of one message group run one after the other, and once one fails, the
 * later ones of its group are reported as failures without running, so the group stays in order.
 *
 * @example
 * ```ts
 * export const handler = createSqsLambdaHandler({
 *   inbox: { store: new PostgresInboxStore({ pool }), consumer: 'billing' },
 *   handler: async ({ subject, body }) => billing.apply(subject, body),
 * });
 * ```
 * @throws InvalidOptionError naming the option.
 */
export function createSqsLambdaHandler(options: SqsLambdaHandlerOptions): (event: SqsEvent) => Promise<SqsBatchResponse> {
  const { handler, inbox, concurrency = 10 } = options ?? ({} as SqsLambdaHandlerOptions);
  if (typeof handler !== 'function') throw new InvalidOptionError('handler', 'an async function (message) => void', handler);
  checkInboxOption(inbox);
  checkInteger('concurrency', concurrency, { min: 1 });
  const claimCheck = new ClaimCheckReader(options.claimCheck);
  const onError =
    options.onError ??
    ((error, context) =>
      context.stage === 'in-progress'
        ? console.debug(`SQS record ${context.record.messageId} is in progress elsewhere; left for redelivery`)
        : console.error(`SQS record ${context.record.messageId} failed (${context.stage}):`, error));
  const report = (error: unknown, context: SqsLambdaErrorContext) => {
    try {
      onError(error, context);
    } catch (listenerError) {
      console.error('onError threw:', listenerError);
    }
  };

  /** Handles one record; resolves to whether it succeeded (a suppressed duplicate counts as success). */
  const handleRecord = async (record: SqsEventRecord): Promise<boolean> => {
    let received;
    try {
      received = receiveOutboxMessage(sqsRecordToMessage(record));
    } catch (error) {
      report(error, { stage: 'decode', record });
      return false;
    }
    try {
      received = await readClaimCheckedBody(received, claimCheck);
    } catch (error) {
      report(error, { stage: (error as Error)?.name === 'UndecodableMessageError' ? 'decode' : 'payload', record, message: received.message });
      return false;
    }
    try {
      const destination = record.eventSourceARN ? destinationName(record.eventSourceARN) : 'lambda';
      await handleReceivedMessage(received, { handler, inbox, destination });
      return true;
    } catch (error) {
      report(error, { stage: (error as Error)?.name === 'MessageInProgressError' ? 'in-progress' : 'handler', record, message: received.message });
      return false;
    }
  };

  return async (event) => {
    const failed: string[] = [];
    // A group is a FIFO message group, or a single record on a standard queue.
    const groups = new Map<string, SqsEventRecord[]>();
    for (const record of event?.Records ?? []) {
      const key = record.attributes?.MessageGroupId ?? `record:${record.messageId}`;
      groups.set(key, [...(groups.get(key) ?? []), record]);
    }
    const queue = [...groups.values()];
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        let groupFailed = false;
        for (const record of group) {
          if (groupFailed) report(new Error('an earlier record of its message group failed'), { stage: 'skipped', record });
          else groupFailed = !(await handleRecord(record));
          if (groupFailed) failed.push(record.messageId);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
