import type { OutboxMessage, PublishOptions, PublishResult, Transport, TransportContext } from '@tx-outbox/outbox-core';
import type { AwsClientOptions } from '../aws/AwsClientOptions.js';
import type { ClaimCheckOptions } from '../claimCheck/ClaimCheckOptions.js';
import { ClaimCheckWriter } from '../claimCheck/ClaimCheckWriter.js';
import { loadS3 } from '../claimCheck/loadS3.js';
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
  /** Reads a target's `MaximumMessageSize` (its documented default when the answer has none). */
  readMaxMessageBytes: (client: Client, target: string, signal?: AbortSignal) => Promise<number>;
  /** The largest total of one call to a route whose messages may be this large. */
  maxBatchBytes: (maxMessageBytes: number) => number;
}

/** The options both transports share. */
export interface BrokerBatchTransportOptions<Client, K extends string> extends AwsClientOptions<Client> {
  routes: SubjectRoutes<K>;
  concurrency?: number;
  maxMessageBytes?: number;
  claimCheck?: ClaimCheckOptions;
  routesSetting?: string;
}

/**
 * The body of {@link SnsTransport} and {@link SqsTransport}: validated options, the client (created and
 * then destroyed by `close()` unless the user passed one), and the shared BrokerBatchSender pipeline.
 */
export abstract class BrokerBatchTransport<Client extends AwsClient, K extends TargetKind> implements Transport {
  protected readonly client: Client;
  private readonly ownsClient: boolean;
  private readonly sender: BrokerBatchSender;

  protected constructor(options: BrokerBatchTransportOptions<Client, K>, spec: BrokerBatchTransportSpec<Client, K>) {
    const { concurrency, maxMessageBytes } = checkTransportOptions(options);
    const router = createSubjectRouter(options.routes, spec.targetKey);
    // Claim-check needs @aws-sdk/client-s3: a missing one is said now, not at the first large message.
    const claimCheck = options.claimCheck === undefined ? undefined : new ClaimCheckWriter(options.claimCheck, spec.targetKey, options);
    if (claimCheck) loadS3();
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
      readMaxMessageBytes: (target, signal) => spec.readMaxMessageBytes(this.client, target, signal),
      maxBatchBytes: spec.maxBatchBytes,
      claimCheck,
      sendBatch: (target, entries, signal) => spec.sendBatch(this.client, target, entries, signal),
    });
  }

  /** Looks at the routes' targets before the first claim (the relay calls it): see BrokerBatchSender.open. */
  open(context: TransportContext): void {
    this.sender.open(context);
  }

  /** Publishes the messages; one result per message, never throws for a per-message problem. */
  publish(messages: readonly OutboxMessage[], options: PublishOptions): Promise<PublishResult[]> {
    return this.sender.publish(messages, options);
  }

  /** Destroys the clients this transport created (its own, claim-check's S3 client). */
  async close(): Promise<void> {
    this.sender.close();
    if (this.ownsClient) this.client.destroy();
  }
}
