import { ConfigError } from './ConfigError.js';

/** One route: an exact subject, or a prefix when the key ends with `*` (`*` alone matches all). */
export interface RouteRule {
  subject?: string;
  prefix?: string;
  target: string;
}

/**
 * Parses OUTBOX_ROUTES: `subject=target,prefix.*=target,*=target`, or a JSON object with the same keys.
 * Targets are topic ARNs (sns) or queue URLs (sqs).
 *
 * @throws ConfigError naming OUTBOX_ROUTES and the entry that is wrong.
 */
export function parseRoutes(raw: string, variable = 'OUTBOX_ROUTES'): RouteRule[] {
  let pairs: Array<[string, unknown]>;
  const text = raw.trim();
  if (text.startsWith('{')) {
    try {
      pairs = Object.entries(JSON.parse(text) as Record<string, unknown>);
    } catch (err) {
      throw new ConfigError(variable, `${variable} looks like JSON but does not parse: ${(err as Error).message}.`);
    }
  } else {
    pairs = text
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((entry) => {
        const at = entry.indexOf('=');
        if (at <= 0) throw new ConfigError(variable, `${variable} entry ${JSON.stringify(entry)} must look like subject=target (e.g. payment.*=arn:aws:sns:us-east-1:123456789012:payments).`);
        return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
      });
  }
  if (pairs.length === 0) throw new ConfigError(variable, `${variable} has no routes; give at least one subject=target.`);
  return pairs.map(([key, target]) => {
    if (typeof target !== 'string' || target === '') {
      throw new ConfigError(variable, `${variable} route for ${JSON.stringify(key)} needs a non-empty topic ARN or queue URL.`);
    }
    return key.endsWith('*') ? { prefix: key.slice(0, -1), target } : { subject: key, target };
  });
}
