/** How a component gets its AWS client: pass one, or let it create one from `region`/`endpoint`. */
export interface AwsClientOptions<Client> {
  /** A configured client (yours to destroy). When omitted, one is created from `region` and `endpoint` and destroyed by `close()`/`stop()`. */
  client?: Client;
  /** @defaultValue the SDK default (`AWS_REGION`, profile) */
  region?: string;
  /** A custom endpoint, e.g. `http://127.0.0.1:4566` for a local emulator. @defaultValue the AWS endpoint of the region */
  endpoint?: string;
}

/** The config for creating a client when none was passed. */
export function clientConfig(options: AwsClientOptions<unknown>): { region?: string; endpoint?: string } {
  const config: { region?: string; endpoint?: string } = {};
  if (options.region !== undefined) config.region = options.region;
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  return config;
}
