/** What a route's target is: an SNS topic ARN or an SQS queue URL. */
export type TargetKind = 'topicArn' | 'queueUrl';

// Partition, region, a 1–12 digit account and a topic name (letters, digits, - and _, FIFO ending .fifo).
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{1,12}:[A-Za-z0-9_-]{1,256}$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{1,12}:[A-Za-z0-9_-]{1,251}\.fifo$/;
// Any host (AWS or an emulator's), then /account/queue-name.
const QUEUE_URL = /^https?:\/\/[^/\s]+\/\d{1,12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

/**
 * Whether `target` has the shape of a topic ARN (`arn:aws:sns:eu-west-1:123456789012:payments`) or a
 * queue URL (`https://sqs.eu-west-1.amazonaws.com/123456789012/payments`): a typo such as
 * `arn:aws:sns:::` is caught before any call, as a blocked route, never as a bad message.
 * Returns what is expected when it does not, else undefined.
 */
export function checkTargetShape(target: string, kind: TargetKind): string | undefined {
  if (kind === 'topicArn') return TOPIC_ARN.test(target) ? undefined : 'an SNS topic ARN (arn:aws:sns:region:account:topic)';
  return QUEUE_URL.test(target) ? undefined : 'an SQS queue URL (https://sqs.region.amazonaws.com/account/queue)';
}
