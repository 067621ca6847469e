import { checkDuration } from '@tx-outbox/outbox-core/internal';

/** How a component gets its AWS client: pass one, or let it create one from `region`/`endpoint`. */
export interface AwsClientOptions<Client> {
  /** A configured client (yours to destroy). When omitted, one is created from `region` and `endpoint` and destroyed by `close()`/`stop()`. */
  client?: Client;
  /** @defaultValue the SDK default (`AWS_REGION`, profile) */
  region?: string;
  /** A custom endpoint, e.g. `http://127.0.0.1:4566` for a local emulator. @defaultValue the AWS endpoint of the region */
  endpoint?: string;
  /**
   * Longest wait for one AWS call before it fails as a (retryable) timeout, for a created client. Without
   * it, an endpoint that accepts the connection and never answers holds a batch, and shutdown, forever.
   * Keep it above the consumer's long poll (`waitTimeSeconds`).
   * @defaultValue 30000
   */
  requestTimeoutMs?: number;
}

/** The config for creating a client when none was passed. */
export function clientConfig(options: AwsClientOptions<unknown>): {
  region?: string;
  endpoint?: string;
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: true };
} {
  const requestTimeout = checkDuration('requestTimeoutMs', options.requestTimeoutMs ?? 30_000, { min: 1 });
  const config: ReturnType<typeof clientConfig> = {
    // throwOnRequestTimeout: without it the SDK only logs a warning and keeps waiting.
    requestHandler: { requestTimeout, connectionTimeout: Math.min(requestTimeout, 5_000), throwOnRequestTimeout: true },
  };
  if (options.region !== undefined) config.region = options.region;
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  return config;
}
