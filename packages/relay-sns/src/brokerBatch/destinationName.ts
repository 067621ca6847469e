/**
 * The name of a topic or queue from its ARN (`arn:aws:sns:eu-west-1:123456789012:payments` → `payments`)
 * or queue URL (`https://sqs.eu-west-1.amazonaws.com/123456789012/payments` → `payments`): what span
 * names and the messaging conventions' `messaging.destination.name` want (no account id, low cardinality).
 */
export function destinationName(target: string): string {
  if (target.startsWith('arn:')) return target.slice(target.lastIndexOf(':') + 1);
  const path = target.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1) || target;
}
