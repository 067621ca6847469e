import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SQS keeps a received message invisible for at most 12 hours in all, counted from the receive. */
export const MAX_VISIBILITY_SECONDS = 43_200;

/** Shortest pause between two extensions. */
const MIN_HEARTBEAT_MS = 100;

/** What {@link keepInvisibleWhileRunning} needs about one received message. */
export interface VisibilityHeartbeat {
  client: SQSClient;
  queueUrl: string;
  receiptHandle: string | undefined;
  /** The visibility timeout the message was received with; each extension asks for it again. */
  visibilitySeconds: number;
  /** `performance.now()` just before the ReceiveMessage call that returned it (so the 12 h cap is never overrun). */
  receivedAt: number;
  /** A failed extension: reported, never fatal (the next tick tries again). */
  onError: (error: unknown) => void;
}

/**
 * A heartbeat, as sqs-consumer has: every half visibility timeout, ChangeMessageVisibility sets the
 * message's visibility to `visibilitySeconds` from now, so a handler slower than the timeout keeps its
 * message and SQS does not hand it to another consumer meanwhile. The last extension stops at SQS's
 * 12-hour cap. A visibility of 0 needs no heartbeat.
 *
 * @returns a function that stops the heartbeat and resolves once no extension is in flight; await it
 * before deleting the message or giving it back (a late extension would undo a shorter retry delay).
 */
export function keepInvisibleWhileRunning(beat: VisibilityHeartbeat): () => Promise<void> {
  const { client, queueUrl, receiptHandle, visibilitySeconds, receivedAt, onError } = beat;
  if (visibilitySeconds <= 0 || receiptHandle === undefined) return async () => undefined;
  let stopped = false;
  let extending: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (stopped || extending) return;
    // Whole seconds left under the cap, rounding the time already spent up.
    const left = MAX_VISIBILITY_SECONDS - Math.ceil((performance.now() - receivedAt) / 1000);
    const seconds = Math.min(visibilitySeconds, left);
    if (seconds <= 0) return void stop();
    if (seconds < visibilitySeconds) void stop(); // the last extension SQS allows
    extending = client
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }))
      .then(
        () => undefined,
        (error: unknown) => {
          if (!stopped) onError(error);
        },
      )
      .finally(() => (extending = undefined));
  }, Math.max((visibilitySeconds * 1000) / 2, MIN_HEARTBEAT_MS));
  timer.unref();
  const stop = async () => {
    stopped = true;
    clearInterval(timer);
    await extending;
  };
  return stop;
}
