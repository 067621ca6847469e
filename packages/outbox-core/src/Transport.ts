import type { OutboxMessage } from './OutboxMessage.js';

/** The outcome of publishing one message. */
export type PublishResult =
  | { id: string; status: 'sent' }
  /** Failed but may succeed later (throttling, 5xx, timeout, connection). The relay backs off and retries. */
  | { id: string; status: 'retry'; error: string }
  /** Will never succeed as is (unknown route, not found, invalid, too large). The relay dead-letters it. */
  | { id: string; status: 'permanent'; error: string };

export interface PublishOptions {
  /**
   * Ordered mode. For each `groupKey`, publish the group's messages in the given order, and once one
   * of them fails do not publish the later ones: report them as `retry`.
   */
  ordered: boolean;
}

/**
 * Publishes claimed messages to a broker. Implemented by `SnsTransport` and `SqsTransport`
 * (relay-sns); a new broker is one new Transport.
 *
 * Contract: returns exactly one result per input message (matched by `id`); never throws for a
 * per-message problem (report it in the result). A thrown error means nothing is known to have been
 * published and the relay treats every message of the call as `retry`.
 */
export interface Transport {
  publish(messages: readonly OutboxMessage[], options: PublishOptions): Promise<PublishResult[]>;
  /** Optional: release sockets and clients when the relay stops. */
  close?(): Promise<void>;
}
