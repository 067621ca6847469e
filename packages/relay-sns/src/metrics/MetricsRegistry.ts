/**
 * The part of a prom-client `Registry` the registrars use, typed structurally so that this package's
 * types do not need prom-client: pass `new Registry()` or prom-client's default `register`.
 */
export interface MetricsRegistry {
  // prom-client's Metric type is not named here, so that prom-client stays an optional peer.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  registerMetric(metric: any): void;
  removeSingleMetric(name: string): void;
}

/** What a registrar returns. */
export interface RegisteredMetrics {
  /** Stops listening and removes the metrics from the registry. */
  remove(): void;
}
