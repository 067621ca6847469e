import type { RouteRule } from '../parseRoutes.js';
import type { DevEndpoint, DevResource } from './createDevTopology.js';

/**
 * The environment the app, the relay and the consumers need to use the local endpoint: the endpoint,
 * region and fake credentials (the AWS SDK refuses to sign without some), and OUTBOX_ROUTES rewritten to
 * the emulator's ARNs (or queue URLs), rule by rule in the order given.
 */
export function devEnvironment(at: DevEndpoint, rules: readonly RouteRule[], resources: readonly DevResource[], targetName: (target: string) => string): Record<string, string> {
  const byName = new Map(resources.map((r) => [r.name, r.topicArn ?? r.queueUrl]));
  const routes = rules.map((rule) => `${rule.subject ?? `${rule.prefix}*`}=${byName.get(targetName(rule.target))}`).join(',');
  return {
    AWS_ENDPOINT_URL: at.endpoint,
    AWS_REGION: at.region,
    AWS_ACCESS_KEY_ID: at.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: at.credentials.secretAccessKey,
    OUTBOX_ROUTES: routes,
  };
}

/** `export NAME='value'` lines a POSIX shell takes as they are (single quotes, a quote in a value escaped). */
export function exportLines(environment: Record<string, string>): string[] {
  return Object.entries(environment).map(([name, value]) => `export ${name}='${value.replaceAll("'", `'\\''`)}'`);
}
