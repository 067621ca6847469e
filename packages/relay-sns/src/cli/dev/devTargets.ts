import { destinationName } from '../../brokerBatch/destinationName.js';
import { ConfigError } from '../ConfigError.js';
import type { RouteRule } from '../parseRoutes.js';

/** What `outbox-relay dev` creates for one route target. */
export interface DevTarget {
  /** The topic (sns) or queue (sqs) name: the target's last segment, or the target itself when it is a bare name. */
  name: string;
  /** A name ending in `.fifo` makes a FIFO topic or queue, as AWS requires. */
  fifo: boolean;
}

// A topic or queue name as AWS takes it (FIFO ones end in .fifo).
const NAME = /^[A-Za-z0-9_-]{1,251}(\.fifo)?$/;

/**
 * The distinct topics (or queues) the routes name: from a topic ARN or queue URL (any account or
 * region: the emulator makes its own), or a bare name (`payment.*=payments`), which only `dev` takes.
 *
 * @throws ConfigError naming OUTBOX_ROUTES for a target with no usable name.
 */
export function devTargets(rules: readonly RouteRule[]): DevTarget[] {
  const names = new Set<string>();
  for (const rule of rules) {
    const name = destinationName(rule.target);
    if (!NAME.test(name)) {
      const key = rule.subject ?? `${rule.prefix}*`;
      throw new ConfigError(
        'OUTBOX_ROUTES',
        `OUTBOX_ROUTES target for ${JSON.stringify(key)} must be a topic ARN, a queue URL or a name (letters, digits, - and _, FIFO ones ending in .fifo), got ${JSON.stringify(rule.target)}.`,
      );
    }
    names.add(name);
  }
  return [...names].map((name) => ({ name, fifo: name.endsWith('.fifo') }));
}
