import { MessageTooLargeError, publishInBrokerBatches } from '@tx-outbox/outbox-core';
import { UnroutedSubjectError, checkInteger, errorText, messageSize, traceBrokerBatch } from '@tx-outbox/outbox-core/internal';
import type { OutboxMessage, PublishOptions, PublishResult, RefusedResult } from '@tx-outbox/outbox-core';
import { awsErrorCode, classifyAwsError, classifyFailedEntry, describeAwsError, isCredentialsError } from '../errors/classifyAwsError.js';
import { checkTargetRegion } from '../routing/checkTargetRegion.js';
import { checkTargetShape, type TargetKind } from '../routing/checkTargetShape.js';
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
  /** What a target must look like; one that does not blocks its route before any call. */
  targetKind: TargetKind;
  /**
   * The client's region (undefined when it has none yet): a target of another region or partition
   * blocks its route before any call. Asked once.
   */
  clientRegion?: () => Promise<string | undefined>;
  /**
   * Resolves the client's credentials (the SDK caches them until they near expiry). Asked before every
   * call: whatever it throws blocks the whole transport (one block, every route's messages wait, no try
   * used) until credentials resolve again; a call cannot tell an STS error of the provider from one of
   * the service.
   */
  resolveCredentials?: () => Promise<unknown>;
  maxMessageBytes: number;
  concurrency: number;
  /** Sends one call of at most 10 entries and 256 KiB to `target` (topic ARN or queue URL). */
  sendBatch: (target: string, entries: BrokerBatchEntry[], signal?: AbortSignal) => Promise<BrokerBatchResponse>;
}

/** Why a target cannot be sent to, whatever the message. */
interface TargetProblem {
  code: string;
  error: string;
}

interface Routed {
  message: OutboxMessage;
  target: string;
  size: number;
  attributes: Record<string, StringAttribute>;
}

/**
 * The publishing pipeline shared by SnsTransport and SqsTransport: route, refuse what the broker would
 * refuse (too large, too many attributes) as `permanent`, report what cannot go where it should (no
 * route, a malformed target, a destination that refuses or does not exist) as `blocked` with its route,
 * split per target into broker batches within AWS limits, send them with bounded concurrency, and read per-entry results. Not a
 * "publisher": that word is kept for the producer side (`TransactionalOutbox`).
 */
export class BrokerBatchSender {
  private region: Promise<string | undefined> | undefined;

  constructor(private readonly options: BrokerBatchSenderOptions) {}

  async publish(messages: readonly OutboxMessage[], { ordered, signal }: PublishOptions): Promise<PublishResult[]> {
    const routed = new Map<string, Routed>();
    const clientRegion = await (this.region ??= this.resolveRegion());
    // A claimed batch has few targets: check each one once, not once per message.
    const targets = new Map<string, TargetProblem | undefined>();
    const lookup = (brokerBatch: readonly OutboxMessage[]) => brokerBatch.map((m) => routed.get(m.id)!);
    // publishInBrokerBatches (core) bounds the calls in flight and applies the ordered rule (GroupGate).
    return publishInBrokerBatches(messages, {
      refuse: (message) => {
        const checked = this.check(message, targets, clientRegion);
        if ('status' in checked) return checked;
        routed.set(message.id, checked);
        return undefined;
      },
      split: (msgs) => this.split(lookup(msgs), ordered).map((b) => b.map((item) => item.message)),
      send: (brokerBatch) => this.sendBrokerBatch(lookup(brokerBatch), signal),
      concurrency: this.options.concurrency,
      ordered,
    });
  }

  /** The client's region, or undefined when it has none (the SDK then fails every call by itself). */
  private async resolveRegion(): Promise<string | undefined> {
    try {
      return (await this.options.clientRegion?.()) || undefined;
    } catch {
      return undefined;
    }
  }

  /** What resolving the credentials threw, or undefined when they resolved (or there is nothing to resolve). */
  private async credentialsFault(): Promise<unknown> {
    if (!this.options.resolveCredentials) return undefined;
    try {
      await this.options.resolveCredentials();
      return undefined;
    } catch (err) {
      return err ?? new Error('the credentials provider failed');
    }
  }

  /** A message held up by credentials that do not work: one transport-wide block, named after the transport. */
  private credentialsBlocked(id: string, err: unknown): PublishResult {
    const { transportName } = this.options;
    const error = `CredentialsUnavailable: ${transportName} has no working AWS credentials (${describeAwsError(err)}); it sends nothing until they resolve again`;
    return { id, status: 'blocked', route: `(credentials) ${transportName}`, error, code: awsErrorCode(err), scope: 'transport' };
  }

  /** What is wrong with a target whatever the message: its shape, or its region or partition. */
  private checkTarget(subject: string, target: string, clientRegion: string | undefined): TargetProblem | undefined {
    const { targetKind, transportName } = this.options;
    const expected = checkTargetShape(target, targetKind);
    if (expected !== undefined) {
      return { code: 'InvalidRouteTarget', error: `InvalidRouteTarget: the route of ${JSON.stringify(subject)} is ${JSON.stringify(target)}, which is not ${expected}.` };
    }
    const elsewhere = checkTargetRegion(target, targetKind, clientRegion);
    if (elsewhere === undefined) return undefined;
    const answer = targetKind === 'topicArn' ? 'SNS answers every call to it "InvalidParameter: Invalid parameter: TopicArn"' : 'SQS refuses every call to it';
    const error = `${elsewhere.code}: the route of ${JSON.stringify(subject)} is ${JSON.stringify(target)}, which ${elsewhere.reason}: ${answer}. Give ${transportName} a client of the target's region, or route the subject to a target of the client's.`;
    return { code: elsewhere.code, error };
  }

  /**
   * Routes one message and checks it. No route, or a target of the wrong shape, region or partition,
   * is a configuration state (say an older relay during a rolling deploy that does not know a new
   * subject yet), not a verdict on the message: `blocked`. Too large or bad attributes is about the
   * message: `permanent`.
   */
  private check(message: OutboxMessage, targets: Map<string, TargetProblem | undefined>, clientRegion: string | undefined): Routed | RefusedResult {
    const { id, subject } = message;
    let target: string | undefined;
    try {
      target = this.options.router(subject);
    } catch (err) {
      // A routes function of the user's that throws: a configuration problem of this subject.
      return { id, status: 'blocked', route: unroutedName(subject), error: `routes(${JSON.stringify(subject)}) threw ${errorText(err)}`, code: 'RoutesFunctionError' };
    }
    if (target === undefined) {
      const err = new UnroutedSubjectError(subject, this.options.transportName);
      return { id, status: 'blocked', route: unroutedName(subject), error: errorText(err), code: err.name };
    }
    let problem = targets.get(target);
    if (!targets.has(target)) targets.set(target, (problem = this.checkTarget(subject, target, clientRegion)));
    if (problem !== undefined) return { id, status: 'blocked', route: target, error: problem.error, code: problem.code };
    try {
      const size = messageSize(message);
      if (size > this.options.maxMessageBytes) {
        throw new MessageTooLargeError(size, this.options.maxMessageBytes, { subject });
      }
      return { message, target, size, attributes: messageAttributes(message) };
    } catch (err) {
      return { id, status: 'permanent', error: errorText(err) };
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

  private async sendBrokerBatch(brokerBatch: readonly Routed[], signal?: AbortSignal): Promise<PublishResult[]> {
    if (signal?.aborted) {
      // The relay's deadline for this claimed batch passed: send nothing more, the rest is retried.
      const error = `not sent: ${String((signal.reason as Error | undefined)?.message ?? 'the publish deadline passed')}`;
      return brokerBatch.map((item) => ({ id: item.message.id, status: 'retry', error }));
    }
    const denied = await this.credentialsFault();
    if (denied !== undefined) return brokerBatch.map((item) => this.credentialsBlocked(item.message.id, denied));
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
      response = await this.options.sendBatch(target, entries, signal);
      endSpan({ failed: response.Failed?.length ?? 0 });
    } catch (err) {
      endSpan({ failed: brokerBatch.length, error: err });
      const status = classifyAwsError(err);
      const error = `${describeAwsError(err)} (target ${target})`;
      if (status === 'blocked' && isCredentialsError(err)) return brokerBatch.map((item) => this.credentialsBlocked(item.message.id, err));
      // A destination or environment fault: the route is blocked, not the messages.
      if (status === 'blocked') return brokerBatch.map((item) => ({ id: item.message.id, status, route: target, error, code: awsErrorCode(err) }));
      // `permanent` means refused for content (classifyAwsError): maybe for one entry only, so the entries
      // go one by one (in order) and only the bad one is dead-lettered, not its broker batch's healthy ones.
      if (status === 'permanent' && brokerBatch.length > 1) {
        const results: PublishResult[] = [];
        for (const item of brokerBatch) results.push(...(await this.sendBrokerBatch([item], signal)));
        return results;
      }
      // Otherwise a passing fault (or a lone entry refused): one verdict for all. A retry names its
      // route, so the relay brings it forward once the route takes a message again.
      if (status === 'retry') return brokerBatch.map((item) => ({ id: item.message.id, status, error, route: target }));
      return brokerBatch.map((item) => ({ id: item.message.id, status, error }));
    }
    const succeeded = new Set((response.Successful ?? []).map((s) => s.Id));
    const failed = new Map((response.Failed ?? []).map((f) => [f.Id, f]));
    if (succeeded.size === 0 && failed.size === 0) {
      // A 200 answer without a single entry result (say an HTML page from a proxy): not the broker.
      const error = `NotTheBroker: the endpoint answered ${this.options.transportName}'s batch call without any entry result; is the endpoint the broker? (target ${target})`;
      return brokerBatch.map((item) => ({ id: item.message.id, status: 'blocked', route: target, error, code: 'NotTheBroker' }));
    }
    return brokerBatch.map((item, i): PublishResult => {
      const Id = String(i);
      const id = item.message.id;
      if (succeeded.has(Id)) return { id, status: 'sent', route: target };
      const entry = failed.get(Id);
      if (!entry) return { id, status: 'retry', error: `The broker returned no result for this entry (target ${target}).`, route: target };
      const error = `${entry.Code ?? 'Error'}: ${entry.Message ?? 'entry failed'} (target ${target})`;
      const status = classifyFailedEntry(entry);
      if (status === 'blocked') return { id, status, route: target, error, code: entry.Code };
      return status === 'retry' ? { id, status, error, route: target } : { id, status, error };
    });
  }
}

/** How a message names the route of a subject that has none. */
function unroutedName(subject: string): string {
  return `(no route) ${subject}`;
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

/**
 * Defaults of the options both transports share. `concurrency` 10: the relay's default claimed batch
 * (100 messages) is 10 broker batches, so all of them go out in one broker round trip; at 8 the last two
 * waited for a second one, doubling the publish time of every claimed batch when the broker is a region
 * away (BENCHMARKS.md, scenario 11). With the default `maxInFlight` 4 that is 40 calls in flight, within
 * the AWS SDK's 50 sockets per client.
 */
export const DEFAULT_TRANSPORT_OPTIONS = { concurrency: 10, maxMessageBytes: MAX_BROKER_BATCH_BYTES } as const;

/** The values they accept (inclusive); the `outbox-relay` CLI uses the same. */
export const TRANSPORT_OPTION_RANGES = { concurrency: { min: 1, max: 256 }, maxMessageBytes: { min: 1 } } as const;

/** Validates the options both transports share. */
export function checkTransportOptions(options: { concurrency?: unknown; maxMessageBytes?: unknown }): { concurrency: number; maxMessageBytes: number } {
  return {
    concurrency: checkInteger('concurrency', options.concurrency ?? DEFAULT_TRANSPORT_OPTIONS.concurrency, TRANSPORT_OPTION_RANGES.concurrency),
    maxMessageBytes: checkInteger('maxMessageBytes', options.maxMessageBytes ?? DEFAULT_TRANSPORT_OPTIONS.maxMessageBytes, TRANSPORT_OPTION_RANGES.maxMessageBytes),
  };
}
