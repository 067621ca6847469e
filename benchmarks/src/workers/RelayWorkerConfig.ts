/** What the parent tells a relay child process (argv[2], JSON). */
export interface RelayWorkerConfig {
  databaseUrl: string;
  tableName: string;
  /** SNS endpoint (the broker, or the delaying proxy in front of it). */
  endpoint: string;
  topicArn: string;
  /**
   * `noop` accepts every message without a network call (database bound); `delay` answers each broker
   * batch after `brokerDelayMs` on a timer (latency bound), `concurrency` broker batches at a time.
   */
  transport: 'sns' | 'noop' | 'delay' | 'sqs';
  /** For `sqs`: the queue every message goes to (`topicArn` is then unused). */
  queueUrl?: string;
  /** For `sqs`: claim-check every message over the queue's limit to this S3 bucket (same endpoint). */
  claimCheckBucket?: string;
  /** For `delay`: ms before each broker batch is answered. @defaultValue 20 */
  brokerDelayMs?: number;
  /** Run the relay under `node --cpu-prof`, writing the profile into this directory. */
  cpuProfileDir?: string;
  batchSize: number;
  maxInFlight: number;
  /** SnsTransport `concurrency`: PublishBatch calls in flight per claimed batch. */
  concurrency: number;
  pollIntervalMs: number;
  /** false hides the store's `subscribe` (polling only, no NOTIFY wake-up). */
  listen: boolean;
  /**
   * Sample the process's RSS every 20 ms (scenario 7). Off elsewhere: each sample reads /proc, CPU time
   * the relay's own figures (scenario 10) must not carry. @defaultValue false
   */
  sampleRss?: boolean;
  /** Register a real OpenTelemetry SDK (no-op exporter) in the relay process. @defaultValue false */
  tracing?: boolean;
}

/** The child's answer to a "sample" line: what happened since the previous sample (or "go"). */
export interface RelayWorkerSample {
  /** Messages published since the previous sample. */
  sent: number;
  /** Duration of each claim that returned at least one message, ms. */
  claimMs: number[];
  /** Duration of each markSent call, ms. */
  markMs: number[];
  /** Duration of each transport publish call (one claimed batch), ms. */
  publishMs: number[];
  /** Claims that came back empty (a poll or wake-up with nothing to do). */
  emptyClaims: number;
  /** CPU time of this process (process.cpuUsage) since the previous sample, microseconds. */
  cpuUserMicros: number;
  cpuSystemMicros: number;
}

/** The child's last line on stdout, after it stopped. */
export interface RelayWorkerReport {
  sent: number;
  /** CPU time of the relay process from "go" to "stop" (process.cpuUsage), microseconds. */
  cpuUserMicros: number;
  cpuSystemMicros: number;
  /** Highest `process.memoryUsage.rss()` seen, sampled every 20 ms with `sampleRss` (else at start and stop). */
  peakRssBytes: number;
  /** VmHWM from /proc/self/status (kernel-tracked peak RSS), 0 where unavailable. */
  vmHwmBytes: number;
}
