import type { OutboxMessage } from './OutboxMessage.js';

/** The outcome of publishing one message. */
export type PublishResult =
  /** The broker accepted it. `route`, when given, lets the relay see that a blocked route works again. */
  | { id: string; status: 'sent'; route?: string }
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
  /** Optional: release sockets and clients when the relay stops. */
  close?(): Promise<void>;
}
