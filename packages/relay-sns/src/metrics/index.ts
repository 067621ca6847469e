export { registerRelayMetrics } from './registerRelayMetrics.js';
export type { RelayMetricsOptions, RelayEventSource } from './registerRelayMetrics.js';
export { registerConsumerMetrics } from './registerConsumerMetrics.js';
export type { ConsumerEventSource } from './registerConsumerMetrics.js';
export type { MetricsRegistry, RegisteredMetrics } from './MetricsRegistry.js';
