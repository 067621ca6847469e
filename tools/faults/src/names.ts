/** Names every process of the scenario agrees on. */
export const TOPIC_NAME = 'faults-orders';
export const QUEUE_NAME = 'faults-orders-consumer';
/** Where SQS moves a message of the queue after MAX_RECEIVE_COUNT receives (its redrive policy). */
export const DEAD_LETTER_QUEUE_NAME = 'faults-orders-consumer-dlq';
/**
 * The queue's redrive policy, as production sets it: every receive counts, a handler failure, a copy put
 * back while its twin is in progress, a consumer that died holding it. A healthy message must never get there.
 */
export const MAX_RECEIVE_COUNT = 5;
/** After a handler failure the consumer gives the message back for this long: the visibility timeout, not 1 s. */
export const RETRY_DELAY_SECONDS = 5;
/** The routed subject of every healthy event. */
export const ORDER_SUBJECT = 'faults.order.placed';
/**
 * The subject a rolling deploy introduces (rollingDeploy.ts): routed (to the same topic) only by the
 * relays of the new version; from then on the producer sends every other event with it.
 */
export const NEW_SUBJECT = 'faults.order.confirmed';
/** The subject of the poison messages: a routed one, so only their content is wrong. */
export const POISON_SUBJECT = ORDER_SUBJECT;
/** The inbox consumer name shared by all consumer processes. */
export const CONSUMER_NAME = 'faults-consumer';
export const REGION = 'us-east-1';

/**
 * Whether an order's handler is slow (so a consumer kill can land inside it). Remainder 1, because
 * with a 30 % rollback ratio the last number of every block of ten is always rolled back.
 */
export function isSlowRef(ref: string, slowEvery: number): boolean {
  return refNumber(ref) % slowEvery === 1;
}

/** `o-000123` → 123. */
export function refNumber(ref: string): number {
  return Number(ref.slice(2));
}

/** Whether transaction number `n` is one the producer rolls back (exactly `ratio` of them, spread evenly). */
export function isRolledBack(n: number, ratio: number): boolean {
  return Math.floor((n + 1) * ratio) > Math.floor(n * ratio);
}
