import type { OutboxMessage } from './OutboxMessage.js';
import type { RelayLogger } from './relay/RelayLogger.js';

/** The outcome of publishing one message. */
export type PublishResult =
  /**
   * The broker accepted it. `route`, when given, lets the relay see that a blocked route works again;
   * `via` names other routes its success proves working (the claim-check bucket it went through, say).
   */
  | { id: string; status: 'sent'; route?: string; via?: readonly string[] }
  /**
   * Failed but may succeed later (throttling, 5xx, timeout). The relay backs off and retries it (a try
   * used). `route`, when given, lets the relay bring it forward once a message of that route goes out.
   */
  | { id: string; status: 'retry'; error: string; route?: string }
  /** About this one message (its content, size, attributes): it will never succeed as is. The relay dead-letters it. */
  | { id: string; status: 'permanent'; error: string }
  /**
   * Not about the message but about where it goes or the environment: authorization refused, topic or
   * queue missing, no route for the subject, an endpoint that is not the broker. The relay gives the
   * message back without using a try, holds it back for the route's backoff and reports the route blocked
   * (`route:blocked`) until a message of the route goes out again.
   *
   * `scope: 'transport'` says the fault is the transport's own, whatever the route (its credentials do
   * not work): `route` then names the transport, every message of it waits on that one block, and any
   * message the transport sends again lifts it.
   */
  | { id: string; status: 'blocked'; route: string; error: string; code?: string; scope?: BlockedScope };

/** What a blocked result holds up: its own route (the default), or everything the transport sends. */
export type BlockedScope = 'route' | 'transport';

export interface PublishOptions {
  /**
   * Ordered mode. For each `groupKey`, publish the group's messages in the given order, and once one
   * of them fails do not publish the later ones: report them as `retry`.
   */
  ordered: boolean;
  /**
   * Aborted when the relay's deadline for this publish passes (below the lease, see the relay's
   * `publishTimeoutMs`). A transport should stop sending and report what it has not sent as `retry`.
   */
  signal?: AbortSignal;
}

/**
 * Publishes claimed messages to a broker. Implemented by `SnsTransport` and `SqsTransport`
 * (relay-sns); a new broker is one new Transport.
 *
 * Contract: returns exactly one result per input message (matched by `id`); never throws for a
 * per-message problem (report it in the result). A thrown error means nothing is known to have been
 * published and the relay treats every message of the call as `retry`. Classify failures so that only
 * an error about the message itself is `permanent`; an error about the destination is `blocked`.
 */
export interface Transport {
  publish(messages: readonly OutboxMessage[], options: PublishOptions): Promise<PublishResult[]>;
  /**
   * Optional: called once by `Relay.start()`, before the first claim, and not awaited. A transport that
   * looks at its routes' targets (does the topic exist, how large may a message be) starts it here,
   * reports what it finds broken with `context.blockRoute`, and logs through `context.logger`.
   */
  open?(context: TransportContext): void;
  /** Optional: release sockets and clients when the relay stops. */
  close?(): Promise<void>;
}

/** What the relay hands its transport in {@link Transport.open}. */
export interface TransportContext {
  /** The relay's logger, for what the transport says once (a limit it could not read, say). */
  logger: RelayLogger;
  /**
   * Reports a route that cannot take messages, found without publishing (its topic or queue does not
   * exist): it is blocked as a `blocked` result blocks it (`route:blocked`, `Relay.blockedRoutes`,
   * readiness), and instead of expiring it is checked again with `recheck` once per backoff, until
   * `recheck` resolves `undefined` (then it is unblocked) or a message of it goes out.
   */
  blockRoute(block: RouteBlock): void;
}

/** A route found blocked by a transport's own check (see {@link TransportContext.blockRoute}). */
export interface RouteBlock {
  route: string;
  /** What is wrong and what to do, e.g. `NotFound: … (GetTopicAttributes, target arn:…): create the topic …`. */
  error: string;
  code?: string;
  /** Checks the route again: `undefined` when it works now, else what is still wrong. Should not reject. */
  recheck: () => Promise<{ error: string; code?: string } | undefined>;
}
