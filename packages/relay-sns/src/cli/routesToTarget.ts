import { createSubjectRouter, withTargets, type SubjectRouter } from '../routing/SubjectRoutes.js';
import type { RouteRule } from './parseRoutes.js';

/**
 * The router handed to the transport: exact subjects first, then the longest matching prefix, both
 * through the transports' own `createSubjectRouter`, so the sidecar routes as the library does.
 */
export function routesToTarget(rules: readonly RouteRule[]): SubjectRouter {
  const exact = createSubjectRouter(
    Object.fromEntries(rules.filter((r) => r.subject !== undefined).map((r) => [r.subject!, r.target])),
    'target',
  );
  const prefixed = createSubjectRouter(
    rules.filter((r) => r.prefix !== undefined).map((r) => ({ prefix: r.prefix!, target: r.target })),
    'target',
  );
  return withTargets((subject) => exact(subject) ?? prefixed(subject), rules.map((r) => r.target));
}
