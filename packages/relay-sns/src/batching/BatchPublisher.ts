import { InvalidOptionError, MessageTooLargeError, UnroutedSubjectError, messageSize, publishInPacks } from '@tx-outbox/outbox-core';
import type { OutboxMessage, PublishOptions, PublishResult } from '@tx-outbox/outbox-core';
import { classifyAwsError, classifyFailedEntry, describeAwsError } from '../errors/classifyAwsError.js';
import type { FailedEntryLike } from '../errors/classifyAwsError.js';
import type { SubjectRouter } from '../routing/SubjectRoutes.js';
import { messageAttributes } from './messageAttributes.js';
import type { StringAttribute } from './messageAttributes.js';
import { MAX_BATCH_BYTES, MAX_BATCH_ENTRIES, packBatches } from './packBatches.js';

/** One message as it goes into a batch call; the SNS and SQS transports map it to their entry type. */
export interface BatchEntry {
  /** Unique within the call (the index in the pack). */
  Id: string;
  /** The payload JSON text, as is. */
  body: string;
  attributes: Record<string, StringAttribute>;
  /** Set only for FIFO targets. */
  fifo?: { groupId: string; deduplicationId: string };
}

/** The part of a `PublishBatch` / `SendMessageBatch` response the publisher reads (same shape for both). */
export interface BatchResponse {
  Successful?: Array<{ Id?: string }>;
  Failed?: Array<{ Id?: string } & FailedEntryLike>;
}

export interface BatchPublisherOptions {
  /** For error messages, e.g. `SnsTransport`. */
  transportName: string;
  router: SubjectRouter;
  maxMessageBytes: number;
  concurrency: number;
  /** Sends one call of at most 10 entries and 256 KiB to `target` (topic ARN or queue URL). */
  sendBatch: (target: string, entries: BatchEntry[]) => Promise<BatchResponse>;
}

interface Routed {
  message: OutboxMessage;
  target: string;
  size: number;
  attributes: Record<string, StringAttribute>;
}

/**
 * The publishing pipeline shared by SnsTransport and SqsTransport: route, refuse what the broker would
 * refuse (too large, too many attributes, no route) as `permanent`, pack per target within AWS limits,
 * send the packs with bounded concurrency, and read per-entry results.
 */
export class BatchPublisher {
  constructor(private readonly options: BatchPublisherOptions) {}

  async publish(messages: readonly OutboxMessage[], { ordered }: PublishOptions): Promise<PublishResult[]> {
    const results = new Map<string, PublishResult>();
    const routed = new Map<string, Routed>();
    const refusedGroups = new Set<string>();
    for (const message of messages) {
      if (ordered && message.groupKey !== null && refusedGroups.has(message.groupKey)) {
        const error = `not sent: an earlier message of group ${message.groupKey} failed`;
        results.set(message.id, { id: message.id, status: 'retry', error });
        continue;
      }
      const checked = this.check(message);
      if ('error' in checked) {
        results.set(message.id, { id: message.id, status: 'permanent', error: checked.error });
        if (message.groupKey !== null) refusedGroups.add(message.groupKey);
      } else {
        routed.set(message.id, checked);
      }
    }
    const toSend = messages.filter((m) => routed.has(m.id));
    const lookup = (pack: readonly OutboxMessage[]) => pack.map((m) => routed.get(m.id)!);
    // publishInPacks (core) bounds the calls in flight and keeps per-group order in ordered mode.
    const sent = await publishInPacks(toSend, {
      pack: (msgs) => this.pack(lookup(msgs), ordered).map((p) => p.map((item) => item.message)),
      send: (pack) => this.sendPack(lookup(pack)),
      concurrency: this.options.concurrency,
      ordered,
    });
    for (const result of sent) results.set(result.id, result);
    return messages.map((m) => results.get(m.id)!);
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
   * Different targets never share a call; within a target, greedy packing keeps order. In ordered mode
   * a new pack starts whenever the target changes, so packs follow the claim order: grouping by target
   * first could put a group's later message (to one topic) in a pack ahead of its earlier one (to another).
   */
  private pack(items: readonly Routed[], ordered: boolean): Routed[][] {
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
    const limits = { maxEntries: MAX_BATCH_ENTRIES, maxBytes: MAX_BATCH_BYTES, sizeOf: (item: Routed) => item.size };
    return (ordered ? runs : [...byTarget.values()]).flatMap((list) => packBatches(list, limits));
  }

  private async sendPack(pack: readonly Routed[]): Promise<PublishResult[]> {
    const target = pack[0]!.target;
    const fifo = isFifo(target);
    const entries = pack.map((item, i): BatchEntry => ({
      Id: String(i),
      body: item.message.payload,
      attributes: item.attributes,
      fifo: fifo ? fifoKeys(item.message) : undefined,
    }));
    let response: BatchResponse;
    try {
      response = await this.options.sendBatch(target, entries);
    } catch (err) {
      const status = classifyAwsError(err);
      // A call refused for its content may be refused for one entry: send the entries one by one (in
      // order) so that only the bad one is dead-lettered, not the healthy messages packed with it.
      if (status === 'permanent' && pack.length > 1 && isContentError(err)) {
        const results: PublishResult[] = [];
        for (const item of pack) results.push(...(await this.sendPack([item])));
        return results;
      }
      // Otherwise the whole call failed for the target (e.g. it does not exist): one verdict for all.
      const error = `${describeAwsError(err)} (target ${target})`;
      return pack.map((item) => ({ id: item.message.id, status, error }));
    }
    const succeeded = new Set((response.Successful ?? []).map((s) => s.Id));
    const failed = new Map((response.Failed ?? []).map((f) => [f.Id, f]));
    return pack.map((item, i): PublishResult => {
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

/** Validates the options both transports share. */
export function checkTransportOptions(options: { concurrency?: unknown; maxMessageBytes?: unknown }): { concurrency: number; maxMessageBytes: number } {
  const concurrency = options.concurrency ?? 8;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidOptionError('concurrency', 'an integer >= 1', concurrency);
  }
  const maxMessageBytes = options.maxMessageBytes ?? MAX_BATCH_BYTES;
  if (typeof maxMessageBytes !== 'number' || !Number.isInteger(maxMessageBytes) || maxMessageBytes < 1) {
    throw new InvalidOptionError('maxMessageBytes', 'an integer >= 1 (bytes)', maxMessageBytes);
  }
  return { concurrency, maxMessageBytes };
}
