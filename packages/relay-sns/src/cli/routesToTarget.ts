import type { RouteRule } from './parseRoutes.js';

/** Exact subjects first, then the longest matching prefix: the router handed to the transport. */
export function routesToTarget(rules: readonly RouteRule[]): (subject: string) => string | undefined {
  const exact = new Map(rules.filter((r) => r.subject !== undefined).map((r) => [r.subject!, r.target]));
  const prefixes = rules.filter((r) => r.prefix !== undefined).sort((a, b) => b.prefix!.length - a.prefix!.length);
  return (subject) => exact.get(subject) ?? prefixes.find((r) => subject.startsWith(r.prefix!))?.target;
}
