import type * as PromClient from 'prom-client';
import { requireOptional } from '../optional/requireOptional.js';

/** prom-client, an optional peer, loaded on the first registrar call. */
export function loadPromClient(): typeof PromClient {
  return requireOptional<typeof PromClient>('prom-client', 'Outbox metrics (registerRelayMetrics, registerConsumerMetrics, the sidecar\'s /metrics)');
}
