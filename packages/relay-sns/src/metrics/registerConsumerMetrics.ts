import type { SqsConsumerEvents } from '../consumer/SqsConsumerEvents.js';
import { loadPromClient } from './loadPromClient.js';
import type { MetricsRegistry, RegisteredMetrics } from './MetricsRegistry.js';

/** The consumer's events are all it needs: `SqsConsumer` fits. */
export interface ConsumerEventSource {
  readonly queueName: string;
  on<E extends keyof SqsConsumerEvents>(event: E, listener: (payload: SqsConsumerEvents[E]) => void): () => void;
}

/** Seconds a handler runs, inbox work included: a millisecond to five minutes. */
const HANDLER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Registers an {@link SqsConsumer}'s Prometheus metrics on `registry`, labelled by queue name:
 * `outbox_consumer_messages_total{outcome="processed"|"duplicate"|"failed"}`, the handler duration
 * histogram, and `outbox_consumer_errors_total{stage}` for every error the consumer reports. Several
 * consumers can share one registry (one call each).
 *
 * @throws MissingPeerDependencyError when prom-client is not installed.
 * @example
 * ```ts
 * registerConsumerMetrics(consumer, { registry });
 * ```
 */
export function registerConsumerMetrics(consumer: ConsumerEventSource, options: { registry: MetricsRegistry }): RegisteredMetrics {
  const { Counter, Histogram } = loadPromClient();
  const { registry } = options;
  const queue = consumer.queueName;
  // One set of metrics per registry, shared by every consumer registered on it (a second `new Counter`
  // of the same name would throw).
  const shared = sharedMetrics(registry, () => ({
    messages: new Counter({
      name: 'outbox_consumer_messages_total',
      help: 'Deliveries handled (processed), suppressed by the inbox (duplicate), put back while another instance handles the same id (in_progress) or failed (left for redelivery).',
      labelNames: ['queue', 'outcome'],
      registers: [registry as never],
    }),
    duration: new Histogram({
      name: 'outbox_consumer_handler_duration_seconds',
      help: 'Handler run time per delivery, inbox work included.',
      labelNames: ['queue'],
      buckets: HANDLER_BUCKETS,
      registers: [registry as never],
    }),
    errors: new Counter({
      name: 'outbox_consumer_errors_total',
      help: 'Errors the consumer reported, by stage (receive, decode, payload, handler, delete, visibility, lease, listener).',
      labelNames: ['queue', 'stage'],
      registers: [registry as never],
    }),
  }));
  const { messages, duration, errors } = shared.metrics;
  const unsubscribes = [
    consumer.on('message:handled', ({ outcome, durationMs }) => {
      messages.inc({ queue, outcome });
      duration.observe({ queue }, durationMs / 1000);
    }),
    consumer.on('message:failed', ({ durationMs }) => {
      messages.inc({ queue, outcome: 'failed' });
      duration.observe({ queue }, durationMs / 1000);
    }),
    consumer.on('message:deferred', () => messages.inc({ queue, outcome: 'in_progress' })),
    consumer.on('consumer:error', ({ stage }) => errors.inc({ queue, stage })),
  ];
  shared.users++;
  return {
    remove() {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      if (--shared.users > 0) return;
      sharedByRegistry.delete(registry);
      for (const name of ['outbox_consumer_messages_total', 'outbox_consumer_handler_duration_seconds', 'outbox_consumer_errors_total']) registry.removeSingleMetric(name);
    },
  };
}

interface Shared<T> {
  metrics: T;
  users: number;
}

const sharedByRegistry = new WeakMap<MetricsRegistry, Shared<never>>();

function sharedMetrics<T>(registry: MetricsRegistry, create: () => T): Shared<T> {
  let shared = sharedByRegistry.get(registry) as Shared<T> | undefined;
  if (!shared) sharedByRegistry.set(registry, (shared = { metrics: create(), users: 0 }) as Shared<never>);
  return shared;
}
