import type { OutboxMessage, PublishOptions, PublishResult, Transport } from '@tx-outbox/outbox-core';
import type { TargetKind } from '../routing/checkTargetShape.js';
import { createSubjectRouter, type SubjectRoutes } from '../routing/SubjectRoutes.js';
import { BrokerBatchSender, checkTransportOptions, type BrokerBatchEntry, type BrokerBatchResponse } from './BrokerBatchSender.js';

/** What the two transports share about their AWS client. */
interface AwsClient {
  destroy(): void;
  /** The SDK client's resolved config: its region and credentials providers. */
  config: { region: () => Promise<string>; credentials: () => Promise<unknown> };
}

/** How a transport talks to its broker: its name, its route field, and one batch call. */
export interface BrokerBatchTransportSpec<Client extends AwsClient, K extends TargetKind> {
  transportName: string;
  /** `messaging.system` and call name for the PRODUCER spans, e.g. `{ system: 'aws_sns', operationName: 'PublishBatch' }`. */
  tracing: { system: string; operationName: string };
  targetKey: K;
  createClient: () => Client;
  /** Sends one broker batch; `signal` aborts the call (and the SDK's retries of it) at the relay's deadline. */
  sendBatch: (client: Client, target: string, entries: BrokerBatchEntry[], signal?: AbortSignal) => Promise<BrokerBatchResponse>;
}

/**
 * The body of {@link SnsTransport} and {@link SqsTransport}: validated options, the client (created and
 * then destroyed by `close()` unless the user passed one), and the shared BrokerBatchSender pipeline.
 */
export abstract class BrokerBatchTransport<Client extends AwsClient, K extends TargetKind> implements Transport {
  protected readonly client: Client;
  private readonly ownsClient: boolean;
  private readonly sender: BrokerBatchSender;

  protected constructor(
    options: { client?: Client; routes: SubjectRoutes<K>; concurrency?: number; maxMessageBytes?: number; routesSetting?: string },
    spec: BrokerBatchTransportSpec<Client, K>,
  ) {
    const { concurrency, maxMessageBytes } = checkTransportOptions(options);
    const router = createSubjectRouter(options.routes, spec.targetKey);
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? spec.createClient();
    this.sender = new BrokerBatchSender({
      transportName: spec.transportName,
      tracing: spec.tracing,
      router,
      routesSetting: options.routesSetting,
      targetKind: spec.targetKey,
      // A client that is not an SDK client (a test double) has neither: nothing to compare or resolve.
      clientRegion: typeof this.client.config?.region === 'function' ? () => this.client.config.region() : undefined,
      resolveCredentials: typeof this.client.config?.credentials === 'function' ? () => this.client.config.credentials() : undefined,
      concurrency,
      maxMessageBytes,
      sendBatch: (target, entries, signal) => spec.sendBatch(this.client, target, entries, signal),
    });
  }

  /** Publishes the messages; one result per message, never throws for a per-message problem. */
  publish(messages: readonly OutboxMessage[], options: PublishOptions): Promise<PublishResult[]> {
    return this.sender.publish(messages, options);
  }

  /** Destroys the client if this transport created it. */
  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}
