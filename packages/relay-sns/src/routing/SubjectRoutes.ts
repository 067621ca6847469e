import { InvalidOptionError } from '@tx-outbox/outbox-core';

/** A prefix rule: every subject starting with `prefix` goes to the target. The longest matching prefix wins. */
export type PrefixRoute<K extends string> = { prefix: string } & { [key in K]: string };

/**
 * Where each subject is published. One of:
 * - a map from exact subject to target: `{ 'payment.created': arn }`;
 * - a function returning the target, or `undefined` for "no route";
 * - prefix rules: `[{ prefix: 'payment.', topicArn }]`, longest prefix wins; `prefix: ''` is a catch-all.
 *
 * `K` is the name of the target field in prefix rules (`topicArn` for SNS, `queueUrl` for SQS).
 */
export type SubjectRoutes<K extends string> =
  | Readonly<Record<string, string>>
  | ((subject: string) => string | undefined)
  | ReadonlyArray<PrefixRoute<K>>;

/** Routes for {@link SnsTransport}: subject → topic ARN. */
export type SnsRoutes = SubjectRoutes<'topicArn'>;
/** Routes for {@link SqsTransport}: subject → queue URL. */
export type SqsRoutes = SubjectRoutes<'queueUrl'>;

/**
 * Normalized router: the target for a subject, or `undefined` when none is configured. `targets` lists
 * the targets the routes name when they can be listed (a map, prefix rules; not a function): the
 * transports look at those before the first message.
 */
export type SubjectRouter = ((subject: string) => string | undefined) & { readonly targets?: readonly string[] };

/**
 * Turns any {@link SubjectRoutes} form into one function, validating it first.
 *
 * @throws InvalidOptionError naming `option` when the routes are malformed.
 */
export function createSubjectRouter<K extends string>(routes: SubjectRoutes<K>, targetKey: K, option = 'routes'): SubjectRouter {
  if (typeof routes === 'function') {
    const route = (subject: string) => {
      const target = routes(subject);
      return typeof target === 'string' && target !== '' ? target : undefined;
    };
    // A router made here (the sidecar's) keeps the targets it lists.
    const listed = (routes as SubjectRouter).targets;
    return Array.isArray(listed) ? withTargets(route, listed) : route;
  }
  if (Array.isArray(routes)) {
    const rules = (routes as ReadonlyArray<PrefixRoute<K>>).map((rule, i) => {
      const target = rule?.[targetKey] as unknown;
      if (typeof rule?.prefix !== 'string' || typeof target !== 'string' || target === '') {
        throw new InvalidOptionError(`${option}[${i}]`, `{ prefix: string, ${targetKey}: non-empty string }`, rule);
      }
      return { prefix: rule.prefix, target };
    });
    // Longest prefix first, so the first match is the most specific rule.
    rules.sort((a, b) => b.prefix.length - a.prefix.length);
    return withTargets((subject) => rules.find((rule) => subject.startsWith(rule.prefix))?.target, rules.map((rule) => rule.target));
  }
  if (routes === null || typeof routes !== 'object') {
    throw new InvalidOptionError(option, `a map { subject: ${targetKey} }, a function, or prefix rules`, routes);
  }
  const map = new Map<string, string>();
  for (const [subject, target] of Object.entries(routes as Record<string, unknown>)) {
    if (typeof target !== 'string' || target === '') {
      throw new InvalidOptionError(`${option}[${JSON.stringify(subject)}]`, `a non-empty ${targetKey} string`, target);
    }
    map.set(subject, target);
  }
  return withTargets((subject) => map.get(subject), [...map.values()]);
}

/** A router that lists the targets it routes to (distinct, in the order given). */
export function withTargets(route: (subject: string) => string | undefined, targets: Iterable<string>): SubjectRouter {
  return Object.assign(route, { targets: [...new Set(targets)] });
}
