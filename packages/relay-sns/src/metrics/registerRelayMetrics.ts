import type { RelayEvents } from '@tx-outbox/outbox-core';
import { destinationName } from '../brokerBatch/destinationName.js';
import { loadPromClient } from './loadPromClient.js';
import type { MetricsRegistry, RegisteredMetrics } from './MetricsRegistry.js';

/** The relay's events are all it needs: `Relay` fits. */
export interface RelayEventSource {
  on<E extends keyof RelayEvents>(event: E, listener: (payload: RelayEvents[E]) => void): () => void;
}

export interface RelayMetricsOptions {
  /** Where the metrics are registered (a prom-client `Registry`). */
  registry: MetricsRegistry;
  /**
   * The route (topic ARN or queue URL) of a subject, for the `route` label, which carries its topic or
   * queue name: bounded by your routes, never by subjects or ids. Pass the transport's router
   * (`createSubjectRouter(routes, 'topicArn')`). @defaultValue every message counts under `route=""`
   */
  routeOf?: (subject: string) => string | undefined;
}

/** Seconds: a claim or a publish call, from a millisecond to a minute. */
const CALL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Seconds from commit to publish: from a NOTIFY wake-up (ms) to a long outage (an hour). */
const LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
/** Messages per claim. */
const SIZE_BUCKETS = [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

/**
 * Registers the relay's Prometheus metrics on `registry` and keeps them up to date from the relay's
 * events: messages published / retried / dead per route, relay errors per stage, histograms of the
 * claim and publish calls, the commit → publish lag and the claim size, and the backlog gauges (filled
 * every `statsIntervalMs`). Default process metrics are prom-client's `collectDefaultMetrics`.
 *
 * Counting another relay event is one `count(...)` line below.
 *
 * @throws MissingPeerDependencyError when prom-client is not installed.
 * @example
 * ```ts
 * const registry = new Registry();
 * collectDefaultMetrics({ register: registry });
 * registerRelayMetrics(relay, { registry, routeOf: createSubjectRouter(routes, 'topicArn') });
 * ```
 */
export function registerRelayMetrics(relay: RelayEventSource, options: RelayMetricsOptions): RegisteredMetrics {
  const { Counter, Gauge, Histogram } = loadPromClient();
  const { registry, routeOf } = options;
  const registers = [registry as never];
  const names: string[] = [];
  const unsubscribes: Array<() => void> = [];
  const route = (subject: string) => {
    const target = routeOf?.(subject);
    return target === undefined ? '' : destinationName(target);
  };
  const on = <E extends keyof RelayEvents>(event: E, listener: (payload: RelayEvents[E]) => void) => unsubscribes.push(relay.on(event, listener));
  const named = <T>(name: string, metric: T): T => (names.push(name), metric);

  /** One counter fed by one event: `labelsOf` returns its labels, or undefined to skip that payload. */
  const count = <E extends keyof RelayEvents>(
    event: E,
    name: string,
    help: string,
    labelNames: readonly string[],
    labelsOf: (payload: RelayEvents[E]) => Record<string, string> | undefined,
  ) => {
    const counter = named(name, new Counter({ name, help, labelNames, registers }));
    on(event, (payload) => {
      const labels = labelsOf(payload);
      if (labels) counter.inc(labels);
    });
  };
  count('message:published', 'outbox_messages_published_total', 'Messages the broker accepted and the relay marked sent.', ['route'], ({ message }) => ({ route: route(message.subject) }));
  count('message:failed', 'outbox_messages_retried_total', 'Publish attempts that failed, or messages held back, and will be retried.', ['route'], ({ message, willRetry }) =>
    willRetry ? { route: route(message.subject) } : undefined,
  );
  count('message:dead', 'outbox_messages_dead_total', 'Messages this relay dead-lettered.', ['route'], ({ message }) => ({ route: route(message.subject) }));
  count('route:blocked', 'outbox_route_blocked_total', 'Times a route became blocked (a destination error: authorization, missing topic or queue).', ['route'], ({ route: target }) => ({
    route: destinationName(target),
  }));
  count('relay:error', 'outbox_relay_errors_total', 'Relay loop errors by stage (claim, publish, mark, subscribe, wakeup, stats).', ['stage'], ({ stage }) => ({ stage }));

  const claimDuration = named('outbox_claim_duration_seconds', new Histogram({ name: 'outbox_claim_duration_seconds', help: 'Round trip of one claim from the store.', buckets: CALL_BUCKETS, registers }));
  const claimSize = named('outbox_claim_size_messages', new Histogram({ name: 'outbox_claim_size_messages', help: 'Messages brought by one claim (0 is an idle poll).', buckets: SIZE_BUCKETS, registers }));
  const lastClaim = named('outbox_relay_last_claim_timestamp_seconds', new Gauge({ name: 'outbox_relay_last_claim_timestamp_seconds', help: 'Unix time of the last claim that returned: stops moving when the relay stops polling.', registers }));
  on('batch:claimed', ({ count: n, durationMs }) => {
    claimDuration.observe(durationMs / 1000);
    claimSize.observe(n);
    lastClaim.set(Date.now() / 1000);
  });
  const publishDuration = named('outbox_publish_duration_seconds', new Histogram({ name: 'outbox_publish_duration_seconds', help: "The transport's publish call for one claimed batch (all its broker batches).", buckets: CALL_BUCKETS, registers }));
  on('batch:published', ({ publishMs }) => publishDuration.observe(publishMs / 1000));
  const lag = named('outbox_commit_to_publish_seconds', new Histogram({
    name: 'outbox_commit_to_publish_seconds',
    help: "From the message's insert (the database's transaction time, created_at) to its sent mark, on the relay's clock.",
    buckets: LAG_BUCKETS,
    registers,
  }));
  on('message:published', ({ message }) => lag.observe(Math.max(0, (Date.now() - message.createdAt.getTime()) / 1000)));

  const gauge = (name: string, help: string) => named(name, new Gauge({ name, help, registers }));
  const wakeUpsLost = gauge(
    'outbox_relay_wakeups_lost',
    '1 while NOTIFY wake-ups do not arrive and the relay publishes on its poll interval only (see the log for the cause).',
  );
  const blocked = named('outbox_route_blocked', new Gauge({ name: 'outbox_route_blocked', help: '1 while the relay holds a route blocked (its messages wait without using attempts).', labelNames: ['route'], registers }));
  on('route:blocked', ({ route: target }) => blocked.set({ route: destinationName(target) }, 1));
  on('route:unblocked', ({ route: target }) => blocked.set({ route: destinationName(target) }, 0));
  on('wakeup:lost', () => wakeUpsLost.set(1));
  on('wakeup:restored', () => wakeUpsLost.set(0));
  const pending = gauge('outbox_pending_messages', 'Messages not yet sent nor dead (whole table; estimated above 1,000, see outbox_backlog_approximate). NaN while unknown.');
  const oldest = gauge('outbox_oldest_pending_age_seconds', 'Age of the oldest pending message (whole table). NaN while unknown.');
  const inFlight = gauge('outbox_in_flight_messages', 'Pending messages currently leased by a relay. NaN while unknown.');
  const dead = gauge('outbox_dead_messages', 'Dead-lettered messages in the table. NaN while unknown.');
  const approximate = gauge('outbox_backlog_approximate', '1 when the backlog gauges are estimates (too many rows to count within the store\'s budget).');
  // Unknown until the first read, and again whenever a read fails: never a 0 that looks like "empty".
  const unknown = () => {
    for (const g of [pending, oldest, inFlight, dead, approximate]) g.set(Number.NaN);
  };
  unknown();
  on('relay:backlog', (s) => {
    pending.set(s.pending);
    oldest.set((s.oldestPendingAgeMs ?? 0) / 1000);
    inFlight.set(s.inFlight);
    dead.set(s.dead);
    approximate.set(s.approximate ? 1 : 0);
  });
  on('relay:error', ({ stage }) => {
    if (stage === 'stats') unknown();
  });

  return {
    remove() {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      for (const name of names.splice(0)) registry.removeSingleMetric(name);
    },
  };
}
