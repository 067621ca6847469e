// README: the relay's and the consumer's Prometheus metrics on your own prom-client registry.
import type { Relay } from '@tx-outbox/outbox-core';
import { createSubjectRouter, registerConsumerMetrics, registerRelayMetrics, type SqsConsumer } from '@tx-outbox/relay-sns';
import { Registry, collectDefaultMetrics } from 'prom-client';

export async function metricsText(relay: Relay, consumer: SqsConsumer): Promise<string> {
  // #region metrics
  const registry = new Registry();
  collectDefaultMetrics({ register: registry }); // CPU, memory, heap, event-loop lag, GC
  const routes = [{ prefix: 'payment.', topicArn: 'arn:aws:sns:eu-west-1:123456789012:payments' }];
  registerRelayMetrics(relay, { registry, routeOf: createSubjectRouter(routes, 'topicArn') });
  registerConsumerMetrics(consumer, { registry });
  // serve `await registry.metrics()` with `registry.contentType` on your /metrics
  // #endregion metrics
  return registry.metrics();
}
