import type { SqsConsumerErrorContext } from './SqsConsumerOptions.js';

/** Error names SQS answers for a queue URL that names no queue (JSON and query protocols). */
const NO_SUCH_QUEUE = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

/**
 * The first half of a consumer error's log line: what failed, on which queue, and for a receive when the
 * next one is tried, so a wrong queue URL is recognisable from one line. The default `onError` of
 * `SqsConsumer` and of the Nest `OutboxConsumer` both use it.
 *
 * @example `ReceiveMessage from https://sqs.eu-west-1.amazonaws.com/1/orders failed (no such queue: check queueUrl, region and endpoint); next receive in 4 s`
 */
export function describeConsumerError(error: unknown, context: SqsConsumerErrorContext): string {
  const { stage, queueUrl, message, retryInMs } = context;
  if (stage === 'receive') {
    const name = (error as { name?: unknown } | null)?.name;
    const hint = typeof name === 'string' && NO_SUCH_QUEUE.has(name) ? ' (no such queue: check queueUrl, region and endpoint)' : '';
    const next = retryInMs === undefined ? '' : `; next receive in ${(retryInMs / 1000).toFixed(1).replace(/\.0$/, '')} s`;
    return `ReceiveMessage from ${queueUrl} failed${hint}${next}`;
  }
  return `${stage} failed on ${queueUrl}${message ? ` for message ${message.id}` : ''}`;
}
