import { MessageTooLargeError, UnroutedSubjectError, checkInteger, messageSize, publishInBrokerBatches, traceBrokerBatch } from '@tx-outbox/outbox-core';
import type { OutboxMessage, PublishOptions, PublishResult } from '@tx-outbox/outbox-core';
import { classifyAwsError, classifyFailedEntry, describeAwsError } from '../errors/classifyAwsError.js';
import type { FailedEntryLike } from '../errors/classifyAwsError.js';
import type { SubjectRouter } from '../routing/SubjectRoutes.js';
import { destinationName } from './destinationName.js';
import { messageAttributes } from './messageAttributes.js';
import type { StringAttribute } from './messageAttributes.js';
import { MAX_BROKER_BATCH_BYTES, MAX_BROKER_BATCH_ENTRIES, splitBrokerBatches } from './splitBrokerBatches.js';

/** One message as it goes into a batch call; the SNS and SQS transports map it to their entry type. */
export interface BrokerBatchEntry {
  /** Unique within the call (the index in the broker batch). */
  Id: string;
  /** The payload JSON text, as is. */
  body: string;
  attributes: Record<string, StringAttribute>;
  /** Set only for FIFO targets. */
  fifo?: { groupId: string; deduplicationId: string };
}

/** The part of a `PublishBatch` / `SendMessageBatch` response the sender reads (same shape for both). */
export interface BrokerBatchResponse {
  Successful?: Array<{ Id?: string }>;
  Failed?: Array<{ Id?: string } & FailedEntryLike>;
}

export interface BrokerBatchSenderOptions {
  /** For error messages, e.g. `SnsTransport`. */
  transportName: string;
  /** For the PRODUCER span of each call: `messaging.system` (`aws_sns`) and the call's name (`PublishBatch`). */
  tracing: { system: string; operationName: string };
  router: SubjectRouter;
  maxMessageBytes: number;
  concurrency: number;
  /** Sends one call of at most 10 entries and 256 KiB to `target` (topic ARN or queue URL). */
  sendBatch: (target: string, entries: BrokerBatchEntry[]) => Promise<BrokerBatchResponse>;
}

interface Routed {
  message: OutboxMessage;
  target: string;
  size: number;
  attributes: Record<string, StringAttribute>;
}

/**
 * The publishing pipeline shared by SnsTransport and SqsTransport: route, refuse what the broker would
 * refuse (too large, too many attributes, no route) as `permanent`, split per target into broker
 * batches within AWS limits, send them with bounded concurrency, and read per-entry results. Not a
 * "publisher": that word is kept for the producer side (`TransactionalOutbox`).
 */
export class BrokerBatchSender {
  constructor(private readonly options: BrokerBatchSenderOptions) {}

  async publish(messages: readonly OutboxMessage[], { ordered }: PublishOptions): Promise<PublishResult[]> {
    const routed = new Map<string, Routed>();
    const lookup = (brokerBatch: readonly OutboxMessage[]) => brokerBatch.map((m) => routed.get(m.id)!);
    // publishInBrokerBatches (core) bounds the calls in flight and applies the ordered rule (GroupGate).
    return publishInBrokerBatches(messages, {
      refuse: (message) => {
        const checked = this.check(message);
        if ('error' in checked) return { id: message.id, status: 'permanent', error: checked.error };
        routed.set(message.id, checked);
        return undefined;
      },
      split: (msgs) => this.split(lookup(msgs), ordered).map((b) => b.map((item) => item.message)),
      send: (brokerBatch) => this.sendBrokerBatch(lookup(brokerBatch)),
      concurrency: this.options.concurrency,
      ordered,
    });
  }

  private check(message: OutboxMessage): Routed | { error: string } {
    try {
      // Inside the try: a routes function of the user's may throw; that message alone fails.
      const target = this.options.router(message.subject);
      if (target === undefined) throw new UnroutedSubjectError(message.subject, this.options.transportName);
      const size = messageSize(message);
      if (size > this.options.maxMessageBytes) {
        throw new MessageTooLargeError(size, this.options.maxMessageBytes, { subject: message.subject });
      }
      return { message, target, size, attributes: messageAttributes(message) };
    } catch (err) {
      return { error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  }

  /**
   * Different targets never share a call; within a target, greedy splitting keeps order. In ordered
   * mode a new broker batch starts whenever the target changes, so broker batches follow the claim
   * order: grouping by target first could put a group's later message (to one topic) in a broker batch
   * ahead of its earlier one (to another).
   */
  private split(items: readonly Routed[], ordered: boolean): Routed[][] {
    const runs: Routed[][] = [];
    const byTarget = new Map<string, Routed[]>();
    for (const item of items) {
      if (ordered) {
        const last = runs.at(-1);
        if (last && last[0]!.target === item.target) last.push(item);
        else runs.push([item]);
        continue;
      }
      const list = byTarget.get(item.target);
      if (list) list.push(item);
      else byTarget.set(item.target, [item]);
    }
    const limits = { maxEntries: MAX_BROKER_BATCH_ENTRIES, maxBytes: MAX_BROKER_BATCH_BYTES, sizeOf: (item: Routed) => item.size };
    return (ordered ? runs : [...byTarget.values()]).flatMap((list) => splitBrokerBatches(list, limits));
  }

  private async sendBrokerBatch(brokerBatch: readonly Routed[]): Promise<PublishResult[]> {
    const target = brokerBatch[0]!.target;
    const fifo = isFifo(target);
    const entries = brokerBatch.map((item, i): BrokerBatchEntry => ({
      Id: String(i),
      body: item.message.payload,
      attributes: item.attributes,
      fifo: fifo ? fifoKeys(item.message) : undefined,
    }));
    const endSpan = traceBrokerBatch({
      ...this.options.tracing,
      destination: destinationName(target),
      messages: brokerBatch.map((item) => item.message),
    });
    let response: BrokerBatchResponse;
    try {
      response = await this.options.sendBatch(target, entries);
      endSpan({ failed: response.Failed?.length ?? 0 });
    } catch (err) {
      endSpan({ failed: brokerBatch.length, error: err });
      const status = classifyAwsError(err);
      // A call refused for its content may be refused for one entry: send the entries one by one (in
      // order) so that only the bad one is dead-lettered, not the healthy messages in the same broker batch.
      if (status === 'permanent' && brokerBatch.length > 1 && isContentError(err)) {
        const results: PublishResult[] = [];
        for (const item of brokerBatch) results.push(...(await this.sendBrokerBatch([item])));
        return results;
      }
      // Otherwise the whole call failed for the target (e.g. it does not exist): one verdict for all.
      const error = `${describeAwsError(err)} (target ${target})`;
      return brokerBatch.map((item) => ({ id: item.message.id, status, error }));
    }
    const succeeded = new Set((response.Successful ?? []).map((s) => s.Id));
    const failed = new Map((response.Failed ?? []).map((f) => [f.Id, f]));
    return brokerBatch.map((item, i): PublishResult => {
      const Id = String(i);
      const id = item.message.id;
      if (succeeded.has(Id)) return { id, status: 'sent' };
      const entry = failed.get(Id);
      if (!entry) return { id, status: 'retry', error: `The broker returned no result for this entry (target ${target}).` };
      const error = `${entry.Code ?? 'Error'}: ${entry.Message ?? 'entry failed'} (target ${target})`;
      return { id, status: classifyFailedEntry(entry), error };
    });
  }
}

/** Errors about what a call carries rather than where it goes (those would fail for any entry). */
const CONTENT_ERRORS = /^(InvalidParameter|InvalidParameterValue|InvalidMessageContents|ValidationError|BatchRequestTooLong|BatchEntryIdsNotDistinct|TooManyEntriesInBatchRequest|InvalidBatchEntryId)(Exception)?$/;

function isContentError(err: unknown): boolean {
  const e = err as { name?: unknown; Code?: unknown; code?: unknown } | null;
  return [e?.name, e?.Code, e?.code].some((v) => typeof v === 'string' && CONTENT_ERRORS.test(v));
}

/** FIFO topics' ARNs and FIFO queues' URLs end with `.fifo`. */
export function isFifo(target: string): boolean {
  return target.endsWith('.fifo');
}

/**
 * FIFO keys of a message: the group is its `groupKey`, or its subject when it has none (FIFO targets
 * require a group; the relay keeps order only per `groupKey`, so give one where order matters); the
 * deduplication id is its `dedupId`,
 * or its outbox id, so a re-publish of the same row is dropped by the broker within its 5-minute window.
 */
export function fifoKeys(message: Pick<OutboxMessage, 'id' | 'subject' | 'groupKey' | 'dedupId'>): { groupId: string; deduplicationId: string } {
  return { groupId: message.groupKey ?? message.subject, deduplicationId: message.dedupId ?? message.id };
}

/** Defaults of the options both transports share. */
export const DEFAULT_TRANSPORT_OPTIONS = { concurrency: 8, maxMessageBytes: MAX_BROKER_BATCH_BYTES } as const;

/** The values they accept (inclusive); the `outbox-relay` CLI uses the same. */
export const TRANSPORT_OPTION_RANGES = { concurrency: { min: 1, max: 256 }, maxMessageBytes: { min: 1 } } as const;

/** Validates the options both transports share. */
export function checkTransportOptions(options: { concurrency?: unknown; maxMessageBytes?: unknown }): { concurrency: number; maxMessageBytes: number } {
  return {
    concurrency: checkInteger('concurrency', options.concurrency ?? DEFAULT_TRANSPORT_OPTIONS.concurrency, TRANSPORT_OPTION_RANGES.concurrency),
    maxMessageBytes: checkInteger('maxMessageBytes', options.maxMessageBytes ?? DEFAULT_TRANSPORT_OPTIONS.maxMessageBytes, TRANSPORT_OPTION_RANGES.maxMessageBytes),
  };
}
