/**
 * What a service hands to `outbox.sendEvent()`. Same shape as a hand-written
 * `producer.sendEvent(message)`, so switching is a one-line change.
 *
 * @example
 * ```ts
 * await outbox.sendEvent({ subject: 'payment.created', body: { paymentId, amount } });
 * ```
 */
export interface OutboxMessageInput {
  /** Routing key of the event (e.g. `payment.created`). The relay maps it to a topic or queue. Non-empty. */
  subject: string;
  /** Event payload. Must be JSON-serializable; it is stored as `jsonb` and published as JSON text. */
  body: unknown;
  /**
   * Ordering key. Messages with the same key are published in commit order when the relay runs
   * in ordered mode; on FIFO topics/queues it becomes the `MessageGroupId`. At most 128 characters.
   */
  groupKey?: string;
  /**
   * Broker-side deduplication id for FIFO topics/queues (`MessageDeduplicationId`). Defaults to the
   * outbox message id. At most 128 characters.
   */
  dedupId?: string;
  /** String headers, published as message attributes. Values must be strings. */
  headers?: Record<string, string>;
  /** Hold the message back this long after commit before the relay may publish it. */
  delayMs?: number;
}

/**
 * A message as the relay sees it: one pending outbox row it has claimed.
 * `payload` is the JSON text of the body, exactly what a transport publishes.
 */
export interface OutboxMessage {
  /** Outbox message id (uuid v7). Published as the `outbox-message-id` attribute; consumers dedup on it. */
  id: string;
  /** Claim order (`seq` identity column), as a decimal string because it is a `bigint`. */
  seq: string;
  subject: string;
  /** JSON text of the body. */
  payload: string;
  headers: Record<string, string>;
  groupKey: string | null;
  dedupId: string | null;
  createdAt: Date;
  /** How many times this message has been claimed, including the current claim (1 on the first try). */
  attempts: number;
}
