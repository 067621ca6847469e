import { checkTargetShape } from '../routing/checkTargetShape.js';
import { ConfigError } from './ConfigError.js';
import type { RouteRule } from './parseRoutes.js';

/**
 * Refuses routes whose targets cannot belong to the chosen transport, and keys given twice: a queue
 * URL sent to SNS (or an ARN to SQS) would dead-letter every message as InvalidParameter.
 *
 * @throws ConfigError naming OUTBOX_ROUTES.
 */
export function checkTargets(rules: RouteRule[], transport: 'sns' | 'sqs'): RouteRule[] {
  const seen = new Set<string>();
  for (const rule of rules) {
    const key = rule.subject ?? `${rule.prefix}*`;
    if (seen.has(key)) throw new ConfigError('OUTBOX_ROUTES', `OUTBOX_ROUTES names ${JSON.stringify(key)} twice; give each subject or prefix one target.`);
    seen.add(key);
    const expected = checkTargetShape(rule.target, transport === 'sns' ? 'topicArn' : 'queueUrl');
    if (expected !== undefined) {
      throw new ConfigError(
        'OUTBOX_ROUTES',
        `OUTBOX_ROUTES target for ${JSON.stringify(key)} must be ${expected} with OUTBOX_TRANSPORT=${transport}, got ${JSON.stringify(rule.target)}.`,
      );
    }
  }
  return rules;
}
