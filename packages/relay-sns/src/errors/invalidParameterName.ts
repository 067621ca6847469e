/**
 * The request parameter an `InvalidParameter`-family answer names, read from its message as SNS and
 * SQS write it, or undefined when the message names none:
 * - SNS: `Invalid parameter: TopicArn`, `Invalid parameter: Message too long`,
 *   `Invalid parameter: TargetArn Reason: …` (the first word after the colon);
 * - SQS: `Value … for parameter QueueUrl is invalid. Reason: …`;
 *   `One or more parameters are invalid. Reason: …` names none.
 *
 * The code alone cannot tell a wrong destination from a wrong message: real SNS answers a topic ARN of
 * another region with `InvalidParameter` too (see the README's "what blocks vs what dead-letters").
 */
export function invalidParameterName(message: string): string | undefined {
  return SNS_FORM.exec(message)?.[1] ?? SQS_FORM.exec(message)?.[1];
}

const SNS_FORM = /^Invalid parameter: ([A-Za-z][A-Za-z0-9.]*)/;
const SQS_FORM = /\bfor parameter ([A-Za-z][A-Za-z0-9.]*) is invalid\b/;

/** The parameters that carry a route's target: an answer that names one is about the destination. */
export const ROUTE_PARAMETERS: ReadonlySet<string> = new Set(['TopicArn', 'TargetArn', 'QueueUrl']);
