import { MessageTooLargeError, publishInBrokerBatches } from '@tx-outbox/outbox-core';
import { consoleRelayLogger, heldBackError, UnroutedSubjectError, checkInteger, errorText, messageSize, traceBrokerBatch } from '@tx-outbox/outbox-core/internal';
import type { OutboxMessage, PublishOptions, PublishResult, RefusedResult, RelayLogger, TransportContext } from '@tx-outbox/outbox-core';
import type { ClaimCheckWriter } from '../claimCheck/ClaimCheckWriter.js';
import { awsErrorCode, classifyAwsError, classifyFailedEntry, describeAwsError, isAccessDenied, isCredentialsError, isMessageTooLong, isMissingTarget } from '../errors/classifyAwsError.js';
import { checkTargetRegion } from '../routing/checkTargetRegion.js';
import { checkTargetShape, type TargetKind } from '../routing/checkTargetShape.js';
import type { FailedEntryLike } from '../errors/classifyAwsError.js';
import type { SubjectRouter } from '../routing/SubjectRoutes.js';
import { destinationName } from './destinationName.js';
import type { StringAttribute } from './messageAttributes.js';
import { routedMessage, type RoutedMessage } from './routedMessage.js';
import { RouteLimits, type LimitLookup, type RouteLimit } from './RouteLimits.js';
import { SizeRefusals } from './SizeRefusals.js';
import { MAX_BROKER_BATCH_ENTRIES, splitBrokerBatches } from './splitBrokerBatches.js';

/** One message as it goes into a batch call; the SNS and SQS transports map it to their entry type. */
export interface BrokerBatchEntry {
  /** Unique within the call (the index in the broker batch). */
  Id: string;
  /** The payload JSON text as is, or the claim-check pointer to it. */
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
  /** The setting the routes came from as `subject=target` text, for the no-route message (see SnsTransportOptions). */
  routesSetting?: string;
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
  /** The user's limit for every route (`maxMessageBytes`); without it each route's is read from its target. */
  maxMessageBytes: number | undefined;
  /** Reads a target's `MaximumMessageSize` (GetTopicAttributes / GetQueueAttributes). */
  readMaxMessageBytes: (target: string, signal?: AbortSignal) => Promise<number>;
  /** The largest total of one call to a route whose messages may be this large (SNS: the same; SQS: 1 MiB). */
  maxBatchBytes: (maxMessageBytes: number) => number;
  /** Claim-check, when it is on. */
  claimCheck?: ClaimCheckWriter;
  concurrency: number;
  /** Sends one call of at most 10 entries and the route's batch total to `target` (topic ARN or queue URL). */
  sendBatch: (target: string, entries: BrokerBatchEntry[], signal?: AbortSignal) => Promise<BrokerBatchResponse>;
}

/** Why a target cannot be sent to, whatever the message. */
interface TargetProblem {
  code: string;
  error: string;
}

/** A message routed to a target of the right shape and region, and its size. */
interface Addressed {
  target: string;
  size: number;
}

/**
 * A limit read longer ago than this is read again before a message over it is refused as too large: the
 * topic's may have been raised since.
 */
const LIMIT_REREAD_MS = 60_000;

/**
 * The publishing pipeline shared by SnsTransport and SqsTransport: route, fit each message to its
 * route's limit (read from the target, or set) inline, as a claim-check pointer, or refused as too
 * large (`permanent`), report what cannot go where it should (no route, a malformed target, a
 * destination that refuses or does not exist) as `blocked` with its route, split per target into broker
 * batches within each route's limits, write claim-checked payloads to S3, send the batches with bounded
 * concurrency, and read per-entry results. Not a "publisher": that word is kept for the producer side
 * (`TransactionalOutbox`).
 */
export class BrokerBatchSender {
  private region: Promise<string | undefined> | undefined;
  private logger: RelayLogger = consoleRelayLogger;
  private readonly limits: RouteLimits;
  private readonly refusals = new SizeRefusals();
  /** Routes whose calls were refused as too long though they fit: said once each. */
  private readonly said = new Set<string>();

  constructor(private readonly options: BrokerBatchSenderOptions) {
    this.limits = new RouteLimits({
      transportName: options.transportName,
      targetKind: options.targetKind,
      override: options.maxMessageBytes,
      read: options.readMaxMessageBytes,
      maxBatchBytes: options.maxBatchBytes,
      logger: () => this.logger,
    });
  }

  /**
   * Looks at the routes' targets before the first claim (Transport.open): each target the routes name
   * (a map or prefix rules; a routes function names none) is checked as a message of it would be, and its
   * limit read. One that does not exist (or is of the wrong shape, region or partition) is reported
   * blocked with what to do, and checked again once per backoff. Never rejects.
   */
  open(context: TransportContext): void {
    this.logger = context.logger;
    const inspect = async (target: string): Promise<{ error: string; code: string } | undefined> => {
      const clientRegion = await (this.region ??= this.resolveRegion());
      return this.checkTarget(target, target, clientRegion) ?? (await this.limits.inspect(target));
    };
    for (const target of new Set(this.options.router.targets ?? [])) {
      void inspect(target).then(
        (problem) => problem && context.blockRoute({ route: target, ...problem, recheck: () => inspect(target).catch(() => undefined) }),
        (error) => this.logger.warn(`${this.options.transportName}: checking route ${target} failed: ${errorText(error)}`, { route: target, error }),
      );
    }
  }

  async publish(messages: readonly OutboxMessage[], { ordered, signal }: PublishOptions): Promise<PublishResult[]> {
    const clientRegion = await (this.region ??= this.resolveRegion());
    // A claimed batch has few targets: check each one once, not once per message.
    const targets = new Map<string, TargetProblem | undefined>();
    const addressed = new Map<string, Addressed | RefusedResult>();
    for (const message of messages) addressed.set(message.id, this.address(message, targets, clientRegion));
    const limits = await this.lookUpLimits(addressed, signal);
    const routed = new Map<string, RoutedMessage>();
    const lookup = (brokerBatch: readonly OutboxMessage[]) => brokerBatch.map((m) => routed.get(m.id)!);
    // publishInBrokerBatches (core) bounds the calls in flight and applies the ordered rule (GroupGate).
    return publishInBrokerBatches(messages, {
      refuse: (message) => {
        const found = addressed.get(message.id)!;
        if ('status' in found) return found;
        const fitted = this.fit(message, found, limits.get(found.target)!);
        if ('status' in fitted) return fitted;
        routed.set(message.id, fitted);
        return undefined;
      },
      split: (msgs) => this.split(lookup(msgs), ordered).map((b) => b.map((item) => item.message)),
      send: (brokerBatch) => this.sendBrokerBatch(lookup(brokerBatch), ordered, signal),
      concurrency: this.options.concurrency,
      ordered,
    });
  }

  /** Closes what claim-check opened. */
  close(): void {
    this.options.claimCheck?.close();
  }

  /**
   * The limit of each target the messages go to (one lookup per target). A limit read a while ago is
   * read again first when a message over it would otherwise be refused: the target's may have grown.
   */
  private async lookUpLimits(addressed: ReadonlyMap<string, Addressed | RefusedResult>, signal?: AbortSignal): Promise<Map<string, LimitLookup>> {
    const largest = new Map<string, number>();
    for (const a of addressed.values()) if (!('status' in a)) largest.set(a.target, Math.max(a.size, largest.get(a.target) ?? 0));
    const limits = new Map<string, LimitLookup>();
    const now = Date.now();
    await Promise.all(
      [...largest].map(async ([target, size]) => {
        let found = await this.limits.of(target, signal);
        const writer = this.options.claimCheck;
        if ('limit' in found && found.limit.source === 'target' && size > found.limit.maxMessageBytes && !writer?.covers(target) && now - found.limit.readAt > LIMIT_REREAD_MS) {
          this.limits.forget(target);
          found = await this.limits.of(target, signal);
        }
        limits.set(target, found);
      }),
    );
    return limits;
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
  private credentialsBlocked(id: string, err: unknown): RefusedResult {
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
   * Routes one message and checks its target. No route, or a target of the wrong shape, region or
   * partition, is a configuration state (say an older relay during a rolling deploy that does not know
   * a new subject yet), not a verdict on the message: `blocked`.
   */
  private address(message: OutboxMessage, targets: Map<string, TargetProblem | undefined>, clientRegion: string | undefined): Addressed | RefusedResult {
    const { id, subject } = message;
    let target: string | undefined;
    try {
      target = this.options.router(subject);
    } catch (err) {
      // A routes function of the user's that throws: a configuration problem of this subject.
      return { id, status: 'blocked', route: unroutedName(subject), error: `routes(${JSON.stringify(subject)}) threw ${errorText(err)}`, code: 'RoutesFunctionError' };
    }
    if (target === undefined) {
      const err = new UnroutedSubjectError(subject, this.options.transportName, this.options.routesSetting);
      return { id, status: 'blocked', route: unroutedName(subject), error: errorText(err), code: err.name };
    }
    let problem = targets.get(target);
    if (!targets.has(target)) targets.set(target, (problem = this.checkTarget(subject, target, clientRegion)));
    if (problem !== undefined) return { id, status: 'blocked', route: target, error: problem.error, code: problem.code };
    return { target, size: messageSize(message) };
  }

  /**
   * Fits an addressed message to its route's limit (routedMessage.ts). A route whose limit cannot be
   * read now waits as its read failure says: blocked (its target does not exist), retried, or held up
   * with every route when the credentials do not work.
   */
  private fit(message: OutboxMessage, { target, size }: Addressed, found: LimitLookup): RoutedMessage | RefusedResult {
    const { id } = message;
    if ('credentials' in found) return this.credentialsBlocked(id, found.credentials);
    if ('status' in found) return found.status === 'retry' ? { id, status: 'retry', error: found.error, route: target } : { id, status: 'blocked', route: target, error: found.error, code: found.code };
    const fitted = routedMessage(message, target, size, found.limit, this.options.claimCheck);
    // Too large for the route: recorded, so a send under a raised limit lifts its size route.
    if ('status' in fitted && fitted.status === 'blocked') this.refusals.record(target, size, found.limit.maxMessageBytes);
    return fitted;
  }

  /**
   * Different targets never share a call; within a target, greedy splitting keeps order, within the
   * route's entry count and call total. In ordered mode a new broker batch starts whenever the target
   * changes, so broker batches follow the claim order: grouping by target first could put a group's
   * later message (to one topic) in a broker batch ahead of its earlier one (to another).
   */
  private split(items: readonly RoutedMessage[], ordered: boolean): RoutedMessage[][] {
    const runs: RoutedMessage[][] = [];
    const byTarget = new Map<string, RoutedMessage[]>();
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
    return (ordered ? runs : [...byTarget.values()]).flatMap((list) =>
      splitBrokerBatches(list, { maxEntries: MAX_BROKER_BATCH_ENTRIES, maxBytes: list[0]!.limit.maxBatchBytes, sizeOf: (item) => item.size }),
    );
  }

  /**
   * Sends one broker batch: the claim-checked payloads to S3 first (a failed upload is that message's
   * retry, or its block when the bucket is missing or refuses; never a sent mark), then one call with
   * the rest.
   */
  private async sendBrokerBatch(brokerBatch: readonly RoutedMessage[], ordered: boolean, signal?: AbortSignal): Promise<PublishResult[]> {
    if (signal?.aborted) {
      // The relay's deadline for this claimed batch passed: send nothing more, the rest is retried.
      const error = `not sent: ${String((signal.reason as Error | undefined)?.message ?? 'the publish deadline passed')}`;
      return brokerBatch.map((item) => ({ id: item.message.id, status: 'retry', error }));
    }
    const denied = await this.credentialsFault();
    if (denied !== undefined) return brokerBatch.map((item) => this.credentialsBlocked(item.message.id, denied));
    const notSent = await this.uploadClaimChecked(brokerBatch, ordered, signal);
    const going = brokerBatch.filter((item) => !notSent.has(item.message.id));
    const sent = going.length > 0 ? await this.sendCall(going, signal) : [];
    const byId = new Map([...notSent, ...sent.map((r) => [r.id, r] as const)]);
    return brokerBatch.map((item) => byId.get(item.message.id)!);
  }

  /**
   * Writes the claim-checked payloads of a broker batch to S3, in parallel. Returns the results of the
   * messages that are not to be sent: those whose upload failed and, in ordered mode, the later messages
   * of their groups in the same broker batch (held back behind them).
   */
  private async uploadClaimChecked(brokerBatch: readonly RoutedMessage[], ordered: boolean, signal?: AbortSignal): Promise<Map<string, PublishResult>> {
    const writer = this.options.claimCheck;
    const notSent = new Map<string, PublishResult>();
    const claimChecked = brokerBatch.filter((item) => item.claimCheckKey !== undefined);
    if (writer === undefined || claimChecked.length === 0) return notSent;
    await Promise.all(
      claimChecked.map(async (item) => {
        try {
          await writer.upload(item.claimCheckKey!, item.message.payload, signal);
        } catch (err) {
          notSent.set(item.message.id, this.uploadFailed(item, err, writer));
        }
      }),
    );
    if (ordered && notSent.size > 0) {
      const closed = new Set<string>();
      for (const item of brokerBatch) {
        const group = item.message.groupKey;
        if (group === null) continue;
        if (closed.has(group) && !notSent.has(item.message.id)) notSent.set(item.message.id, { id: item.message.id, status: 'retry', error: heldBackError(group) });
        if (notSent.has(item.message.id)) closed.add(group);
      }
    }
    return notSent;
  }

  /**
   * A failed upload, as classifyAwsError sees it: a bucket that is missing or refuses this relay blocks
   * the bucket's route (its messages wait, no try used); anything else is a retry on it.
   */
  private uploadFailed(item: RoutedMessage, err: unknown, writer: ClaimCheckWriter): RefusedResult {
    const id = item.message.id;
    if (isCredentialsError(err)) return this.credentialsBlocked(id, err);
    const fix = isMissingTarget(err)
      ? ': the bucket does not exist. Create it, or name the right one (claimCheck.bucket, OUTBOX_CLAIM_CHECK_BUCKET)'
      : isAccessDenied(err)
        ? ': this relay may not s3:PutObject there (see the README\'s IAM policy for the relay)'
        : '';
    const error = `${describeAwsError(err)} (PutObject s3://${writer.bucket}/${item.claimCheckKey}, for target ${item.target})${fix}`;
    if (classifyAwsError(err) === 'blocked') return { id, status: 'blocked', route: writer.route, error, code: awsErrorCode(err) };
    return { id, status: 'retry', error, route: writer.route };
  }

  /** One PublishBatch / SendMessageBatch call for a broker batch; one result per message. */
  private async sendCall(brokerBatch: readonly RoutedMessage[], signal?: AbortSignal): Promise<PublishResult[]> {
    const target = brokerBatch[0]!.target;
    const limit = brokerBatch[0]!.limit;
    const fifo = isFifo(target);
    const entries = brokerBatch.map((item, i): BrokerBatchEntry => ({
      Id: String(i),
      body: item.body,
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
      // Too long, though the message fits the limit held for the route: the route's own is lower. It waits
      // for the limit to be set right (none is dead-lettered for it). A call of several goes one by one
      // first (below): those the route takes alone go out.
      if (status === 'permanent' && isMessageTooLong(err) && brokerBatch.length === 1 && brokerBatch[0]!.size <= limit.maxMessageBytes) {
        return [this.sizeBlocked(brokerBatch[0]!, brokerBatch[0]!.size, describeAwsError(err), awsErrorCode(err))];
      }
      if (status === 'permanent' && isMessageTooLong(err)) this.tooLongCall(target, brokerBatch, limit, err);
      // `permanent` means refused for content (classifyAwsError): maybe for one entry only, so the entries
      // go one by one (in order) and only the bad one is dead-lettered, not its broker batch's healthy ones.
      if (status === 'permanent' && brokerBatch.length > 1) {
        const results: PublishResult[] = [];
        for (const item of brokerBatch) results.push(...(await this.sendCall([item], signal)));
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
    const sentBytes = brokerBatch.reduce((sum, item, i) => sum + (succeeded.has(String(i)) ? item.size : 0), 0);
    const sizeRoute = sentBytes > 0 ? this.refusals.lifted(target, sentBytes, limit.maxMessageBytes) : undefined;
    return brokerBatch.map((item, i): PublishResult => {
      const Id = String(i);
      const id = item.message.id;
      if (succeeded.has(Id)) {
        const via = [...(item.claimCheckKey !== undefined ? [this.options.claimCheck!.route] : []), ...(sizeRoute !== undefined ? [sizeRoute] : [])];
        return via.length > 0 ? { id, status: 'sent', route: target, via } : { id, status: 'sent', route: target };
      }
      const entry = failed.get(Id);
      if (!entry) return { id, status: 'retry', error: `The broker returned no result for this entry (target ${target}).`, route: target };
      const error = `${entry.Code ?? 'Error'}: ${entry.Message ?? 'entry failed'} (target ${target})`;
      const status = classifyFailedEntry(entry);
      if (status === 'permanent' && isMessageTooLong(entry) && item.size <= limit.maxMessageBytes) return this.sizeBlocked(item, item.size, error, entry.Code ?? 'Error');
      if (status === 'blocked') return { id, status, route: target, error, code: entry.Code };
      return status === 'retry' ? { id, status, error, route: target } : { id, status, error };
    });
  }

  /**
   * A call of several messages refused as too long though it fit the limit held for the route: its
   * messages go one by one (sendCall), the limit is read again at the route's next use, and this is said
   * once per route (until the limit is set right, every such call costs one call per message).
   */
  private tooLongCall(target: string, brokerBatch: readonly RoutedMessage[], limit: RouteLimit, err: unknown): void {
    this.limits.forget(target);
    if (this.said.has(target)) return;
    this.said.add(target);
    const bytes = brokerBatch.reduce((sum, item) => sum + item.size, 0);
    const what = this.options.targetKind === 'topicArn' ? 'topic' : 'queue';
    this.logger.warn(
      `${this.options.transportName}: ${target} refused a call of ${brokerBatch.length} messages, ${bytes} bytes in all, as too long (${describeAwsError(err)}), ` +
        `though its limit is taken as ${limit.maxMessageBytes} bytes: the ${what}'s configured limit is lower than the setting. Such calls now go one message at a time; ` +
        `set maxMessageBytes (OUTBOX_MAX_MESSAGE_BYTES) to the ${what}'s MaximumMessageSize, or raise that.`,
      { route: target, bytes, limitBytes: limit.maxMessageBytes, code: awsErrorCode(err) },
    );
  }

  /**
   * A message of a call the route refused as too long though it fit the limit held for it: it waits on
   * the route's size route (SizeRefusals), and the limit is read again at the route's next use.
   */
  private sizeBlocked(item: RoutedMessage, bytes: number, refusal: string, code: string): RefusedResult {
    const { target, limit } = item;
    this.limits.forget(target);
    const route = this.refusals.record(target, bytes, limit.maxMessageBytes);
    const what = this.options.targetKind === 'topicArn' ? 'topic' : 'queue';
    const held =
      limit.source === 'setting'
        ? `maxMessageBytes (OUTBOX_MAX_MESSAGE_BYTES) says ${limit.maxMessageBytes} bytes`
        : limit.source === 'target'
          ? `its MaximumMessageSize said ${limit.maxMessageBytes} bytes (read again at its next use)`
          : `its limit was taken as ${limit.maxMessageBytes} bytes (its own could not be read)`;
    const fix = limit.source === 'setting' ? `Set maxMessageBytes to the ${what}'s MaximumMessageSize, or raise that.` : `Set maxMessageBytes (OUTBOX_MAX_MESSAGE_BYTES) to what the ${what} takes.`;
    const error =
      `${code}: ${target} refused a call of ${bytes} bytes as too long (${refusal}), though ${held}: the ${what}'s configured limit is lower than the setting. ` +
      `Its messages that need more wait (none is dead-lettered for it); the rest keep flowing. ${fix}`;
    return { id: item.message.id, status: 'blocked', route, error, code };
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
 * the AWS SDK's 50 sockets per client. `maxMessageBytes` has no default: each route's is read from its
 * target.
 */
export const DEFAULT_TRANSPORT_OPTIONS = { concurrency: 10 } as const;

/** The values they accept (inclusive); the `outbox-relay` CLI uses the same. `maxMessageBytes`: what AWS's `MaximumMessageSize` takes. */
export const TRANSPORT_OPTION_RANGES = { concurrency: { min: 1, max: 256 }, maxMessageBytes: { min: 1_024, max: 1_048_576 } } as const;

/** Validates the options both transports share. */
export function checkTransportOptions(options: { concurrency?: unknown; maxMessageBytes?: unknown }): { concurrency: number; maxMessageBytes: number | undefined } {
  return {
    concurrency: checkInteger('concurrency', options.concurrency ?? DEFAULT_TRANSPORT_OPTIONS.concurrency, TRANSPORT_OPTION_RANGES.concurrency),
    maxMessageBytes: options.maxMessageBytes === undefined ? undefined : checkInteger('maxMessageBytes', options.maxMessageBytes, TRANSPORT_OPTION_RANGES.maxMessageBytes),
  };
}
