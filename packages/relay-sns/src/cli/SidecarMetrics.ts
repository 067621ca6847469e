import type { Relay } from '@tx-outbox/outbox-core';
import { loadPromClient } from '../metrics/loadPromClient.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import { registerRelayMetrics } from '../metrics/registerRelayMetrics.js';

/** What the outbox's retention reports to the metrics. */
export interface RetentionMetrics {
  /** Slots emptied by one run. */
  retentionEmptied(slots: number): void;
  retentionFailed(): void;
}

/** What inbox retention reports to the metrics. */
export interface InboxRetentionMetrics {
  inboxPurged(count: number): void;
  inboxPartitionsTruncated(count: number): void;
  inboxRetentionFailed(): void;
}

/** The sidecar's `/metrics`: one prom-client registry with the process metrics, the relay's and retention's. */
export interface SidecarMetrics extends RetentionMetrics, InboxRetentionMetrics {
  /** The text exposition of every metric. */
  render(): Promise<string>;
  /** The `content-type` of {@link render}'s output. */
  readonly contentType: string;
  /** The registry itself, for other parts of the sidecar to count on (the console's actions). */
  readonly registry: MetricsRegistry;
}

/**
 * Creates the sidecar's registry: prom-client's default process metrics (CPU, memory, heap, event-loop
 * lag, GC), {@link registerRelayMetrics} labelled with the sidecar's routes, and retention's counters.
 * @throws MissingPeerDependencyError when prom-client is not installed.
 */
export function createSidecarMetrics(relay: Relay, routeOf: (subject: string) => string | undefined): SidecarMetrics {
  const { Registry, Counter, collectDefaultMetrics } = loadPromClient();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges whose names end in _total, which `promtool check metrics` rejects; nodejs_active_handles,
  // nodejs_active_requests and nodejs_active_resources carry the same counts by type.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  registerRelayMetrics(relay, { registry, routeOf });
  const emptied = new Counter({ name: 'outbox_retention_emptied_slots_total', help: 'Outbox slots emptied by retention (TRUNCATE of a partition whose rows were all older than the retention).', registers: [registry] });
  const failed = new Counter({ name: 'outbox_retention_errors_total', help: 'Outbox maintenance runs that failed (retried at the next interval).', registers: [registry] });
  const purged = new Counter({ name: 'outbox_inbox_purged_total', help: 'Expired inbox records deleted by inbox retention.', registers: [registry] });
  const purgeFailed = new Counter({ name: 'outbox_inbox_retention_errors_total', help: 'Inbox retention runs that failed (retried at the next interval).', registers: [registry] });
  const truncated = new Counter({
    name: 'outbox_inbox_partitions_truncated_total',
    help: 'Inbox day partitions emptied with TRUNCATE by inbox retention, once every record in them had expired.',
    registers: [registry],
  });
  return {
    render: () => registry.metrics(),
    contentType: registry.contentType,
    registry,
    retentionEmptied: (slots) => emptied.inc(slots),
    retentionFailed: () => failed.inc(),
    inboxPurged: (count) => purged.inc(count),
    inboxPartitionsTruncated: (count) => truncated.inc(count),
    inboxRetentionFailed: () => purgeFailed.inc(),
  };
}
