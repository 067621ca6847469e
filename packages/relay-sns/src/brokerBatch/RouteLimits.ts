import type { RelayLogger } from '@tx-outbox/outbox-core';
import { awsErrorCode, classifyAwsError, describeAwsError, isAccessDenied, isCredentialsError, isMissingTarget } from '../errors/classifyAwsError.js';
import type { TargetKind } from '../routing/checkTargetShape.js';

/**
 * Taken as a route's limit when its own cannot be read (no permission to read it): a default SNS
 * topic's, the smallest default any route has (an SQS queue created before August 2025 too).
 */
export const FALLBACK_MAX_MESSAGE_BYTES = 262_144;

/** Where a route's limit came from: read from its target, set by the user, or the fallback. */
export type LimitSource = 'target' | 'setting' | 'fallback';

/** How large a route's messages and calls may be. */
export interface RouteLimit {
  /** Largest message (body plus attributes, as `messageSize` counts it). */
  maxMessageBytes: number;
  /** Largest total of one `PublishBatch` / `SendMessageBatch` call. */
  maxBatchBytes: number;
  source: LimitSource;
  /** When it was read (process clock), for re-reading an old one before a message is refused on it. */
  readAt: number;
}

/** What looking up a route's limit gave: the limit, or why its messages cannot go now. */
export type LimitLookup =
  | { limit: RouteLimit }
  | { status: 'blocked' | 'retry'; error: string; code: string }
  /** The credentials do not work: every route waits (BrokerBatchSender's transport-wide block). */
  | { credentials: unknown };

export interface RouteLimitsOptions {
  transportName: string;
  targetKind: TargetKind;
  /** The user's limit (`maxMessageBytes`): used for every route instead of the target's. */
  override: number | undefined;
  /** Reads the target's `MaximumMessageSize` (its documented default when the answer has none). */
  read: (target: string, signal?: AbortSignal) => Promise<number>;
  /** The largest call total for a route of this message limit (SNS: the topic's limit; SQS: 1 MiB). */
  maxBatchBytes: (maxMessageBytes: number) => number;
  /** Where what is said once goes (the relay's logger once the relay opened the transport). */
  logger: () => RelayLogger;
  clock?: () => number;
}

/**
 * Each route's limit, read from its target (the SNS topic's or SQS queue's `MaximumMessageSize`) the
 * first time the route is used and kept, unless the user set one (`maxMessageBytes`). A read that is
 * refused for lack of permission falls back to {@link FALLBACK_MAX_MESSAGE_BYTES} and says so once; a
 * target that does not exist, or any other failed read, is not kept, and its route's messages wait
 * (blocked or retried as classifyAwsError says). A limit is forgotten (and read again) after a call the
 * route refused as too long though it fit.
 */
export class RouteLimits {
  private readonly known = new Map<string, Promise<LimitLookup>>();
  private readonly said = new Set<string>();
  private readonly clock: () => number;

  constructor(private readonly options: RouteLimitsOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** The limit of `target`'s route: the user's, the one kept, or read now (one read per route at a time). */
  of(target: string, signal?: AbortSignal): Promise<LimitLookup> {
    const { override } = this.options;
    if (override !== undefined) return Promise.resolve({ limit: this.limit(override, 'setting') });
    let lookup = this.known.get(target);
    if (lookup === undefined) {
      lookup = this.load(target, signal);
      this.known.set(target, lookup);
      // Only a limit is kept: a failed read is tried again at the route's next use.
      void lookup.then((found) => {
        if (!('limit' in found) && this.known.get(target) === lookup) this.known.delete(target);
      });
    }
    return lookup;
  }

  /**
   * Reads `target`'s limit now, whatever is kept or set (at start and when a blocked route is checked
   * again): `undefined` when the route can take messages, else what is wrong. With a user limit above
   * the target's, says once that calls over the target's will be refused.
   */
  async inspect(target: string, signal?: AbortSignal): Promise<{ error: string; code: string } | undefined> {
    this.known.delete(target);
    const found = await this.load(target, signal);
    if ('credentials' in found) return undefined; // the credentials block, not this route's: publishing reports it
    if (!('limit' in found)) return found.status === 'blocked' ? { error: found.error, code: found.code } : undefined;
    const { override } = this.options;
    if (override === undefined) this.known.set(target, Promise.resolve(found));
    else if (found.limit.source === 'target' && found.limit.maxMessageBytes < override) {
      this.sayOnce(
        `below:${target}`,
        `${this.options.transportName}: the MaximumMessageSize of ${target} is ${found.limit.maxMessageBytes} bytes, below maxMessageBytes (${override}): ` +
          `calls over ${found.limit.maxMessageBytes} bytes will be refused and hold up the route's larger messages until one of the two is changed.`,
        { route: target, maximumMessageSize: found.limit.maxMessageBytes, maxMessageBytes: override },
      );
    }
    return undefined;
  }

  /** Forgets `target`'s limit: the next use reads it again. */
  forget(target: string): void {
    this.known.delete(target);
  }

  private limit(maxMessageBytes: number, source: LimitSource): RouteLimit {
    return { maxMessageBytes, maxBatchBytes: this.options.maxBatchBytes(maxMessageBytes), source, readAt: this.clock() };
  }

  private async load(target: string, signal?: AbortSignal): Promise<LimitLookup> {
    const { transportName, targetKind } = this.options;
    const readName = targetKind === 'topicArn' ? 'GetTopicAttributes' : 'GetQueueAttributes';
    try {
      const bytes = await this.options.read(target, signal);
      return { limit: this.limit(Number.isInteger(bytes) && bytes > 0 ? bytes : FALLBACK_MAX_MESSAGE_BYTES, 'target') };
    } catch (err) {
      if (isCredentialsError(err)) return { credentials: err };
      if (isAccessDenied(err)) {
        const action = targetKind === 'topicArn' ? 'sns:GetTopicAttributes' : 'sqs:GetQueueAttributes';
        this.sayOnce(
          `denied:${target}`,
          `${transportName} may not read the MaximumMessageSize of ${target} (${describeAwsError(err)}): its limit is taken as ${FALLBACK_MAX_MESSAGE_BYTES} bytes. ` +
            `Allow ${action} on it, or set maxMessageBytes (OUTBOX_MAX_MESSAGE_BYTES).`,
          { route: target, code: awsErrorCode(err) },
        );
        return { limit: this.limit(FALLBACK_MAX_MESSAGE_BYTES, 'fallback') };
      }
      const what = targetKind === 'topicArn' ? 'topic' : 'queue';
      const fix = isMissingTarget(err) ? `: the ${what} does not exist in this account and region. Create it, or route its subjects to a ${what} that exists` : '';
      const error = `${describeAwsError(err)} (${readName}, target ${target})${fix}`;
      return { status: classifyAwsError(err) === 'retry' ? 'retry' : 'blocked', error, code: awsErrorCode(err) };
    }
  }

  private sayOnce(key: string, message: string, context: Record<string, unknown>): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    try {
      this.options.logger().warn(message, context);
    } catch {
      // A logger that throws must not fail a publish.
    }
  }
}
