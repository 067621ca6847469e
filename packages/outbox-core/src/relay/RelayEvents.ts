import type { OutboxMessage } from '../OutboxMessage.js';
import type { OutboxStats } from '../OutboxStore.js';

/** Where in the loop a `relay:error` happened. */
export type RelayErrorStage = 'claim' | 'publish' | 'mark' | 'subscribe' | 'stats' | 'wakeup';

/**
 * The relay's events and their payloads. Attach metrics and logs with `relay.on(name, listener)`.
 * Listeners run synchronously in the loop: keep them cheap. One that throws (or rejects) is logged
 * and ignored; it cannot stop the relay.
 */
export interface RelayEvents {
  /**
   * The broker accepted the message and it was marked sent. Not emitted when marking it sent failed
   * after its retries (a `relay:error` with stage `mark` is): it is then published again after its lease.
   */
  'message:published': { message: OutboxMessage };
  /**
   * A publish failed, or the message was held back behind a failed message of its group (ordered mode;
   * given back with its try not counted; `availableAt` is its head's, or now when the head is dead).
   * `willRetry` is false when it is dead-lettered (a `message:dead` follows); `availableAt` is when it may be
   * claimed again (`null` when it will not be). `blockedRoute` is set when it waits only because that route
   * is blocked (its own, or its group head's): `route:blocked` already said so once, so a logger may keep
   * these quiet.
   */
  'message:failed': { message: OutboxMessage; error: string; willRetry: boolean; availableAt: Date | null; blockedRoute?: string };
  /** Dead-lettered: a permanent failure, a `nonRetryable` error, or `maxAttempts` used up. */
  'message:dead': { message: OutboxMessage; error: string };
  /**
   * A claim returned (`count` may be 0: an idle poll). `durationMs` is the store's claim round trip. Its
   * steady beat is how a dashboard tells a relay that polls from one that is stuck.
   */
  'batch:claimed': { count: number; durationMs: number };
  /**
   * One claimed batch was published and marked. `retried` counts retries and messages given back;
   * `publishMs` is how long the transport's publish call took.
   */
  'batch:published': { count: number; sent: number; retried: number; dead: number; publishMs: number };
  /**
   * The transport reported a route blocked (authorization refused, topic or queue missing, no route for
   * a subject, an endpoint that is not the broker): its messages go back without using a try and come
   * back after `retryInMs`; other routes keep flowing. Emitted once when the route becomes blocked.
   */
  'route:blocked': { route: string; error: string; code: string | undefined; retryInMs: number };
  /**
   * A blocked route works again (`reason: 'sent'`: a message of it went out) or is no longer seen blocked
   * (`reason: 'not-seen'`: nothing of it failed for its backoff plus the lease, e.g. its subject was routed elsewhere;
   * or, for a route the transport found blocked by itself, its recheck found the target answering again).
   */
  'route:unblocked': { route: string; blockedMs: number; reason: 'sent' | 'not-seen' };
  /** A store or transport call failed; the relay backs off and keeps going. */
  'relay:error': { stage: RelayErrorStage; error: unknown };
  /**
   * The store's wake-ups stopped arriving (its error says why and what to do); the relay runs on its
   * poll interval alone until `wakeup:restored`. A `relay:error` with stage `wakeup` comes with it.
   */
  'wakeup:lost': { relayId: string; error: Error };
  /** Wake-ups arrive again after `wakeup:lost`. */
  'wakeup:restored': { relayId: string };
  /** Backlog figures from `store.stats()`, every `statsIntervalMs`. */
  'relay:backlog': OutboxStats;
  /** `start()` finished: the loop runs. */
  'relay:started': { relayId: string };
  /** `stop()` finished: nothing in flight, transport closed. */
  'relay:stopped': { relayId: string };
}
