/** What the parent tells a relay child process (argv[2], JSON). */
export interface RelayWorkerConfig {
  databaseUrl: string;
  tableName: string;
  /** SNS endpoint (the broker, or the delaying proxy in front of it). */
  endpoint: string;
  topicArn: string;
  /** `noop` accepts every message without a network call (database bound). */
  transport: 'sns' | 'noop';
  batchSize: number;
  maxInFlight: number;
  /** SnsTransport `concurrency`: PublishBatch calls in flight per claimed batch. */
  concurrency: number;
  pollIntervalMs: number;
  /** false hides the store's `subscribe` (polling only, no NOTIFY wake-up). */
  listen: boolean;
  /** Register a real OpenTelemetry SDK (no-op exporter) in the relay process. @defaultValue false */
  tracing?: boolean;
}

/** The child's last line on stdout, after it stopped. */
export interface RelayWorkerReport {
  sent: number;
  /** Highest `process.memoryUsage.rss()` seen, sampled every 20 ms. */
  peakRssBytes: number;
  /** VmHWM from /proc/self/status (kernel-tracked peak RSS), 0 where unavailable. */
  vmHwmBytes: number;
}
