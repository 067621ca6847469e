import type { OutboxMessage, PublishOptions, PublishResult, Transport } from '@tx-outbox/outbox-core';
import { createSubjectRouter, type SubjectRoutes } from '../routing/SubjectRoutes.js';
import { BatchPublisher, checkTransportOptions, type BatchEntry, type BatchResponse } from './BatchPublisher.js';

/** What the two transports share about their AWS client. */
interface AwsClient {
  destroy(): void;
}

/** How a transport talks to its broker: its name, its route field, and one batch call. */
export interface BatchTransportSpec<Client extends AwsClient, K extends string> {
  transportName: string;
  targetKey: K;
  createClient: () => Client;
  sendBatch: (client: Client, target: string, entries: BatchEntry[]) => Promise<BatchResponse>;
}

/**
 * The body of {@link SnsTransport} and {@link SqsTransport}: validated options, the client (created and
 * then destroyed by `close()` unless the user passed one), and the shared BatchPublisher pipeline.
 */
export abstract class BatchTransport<Client extends AwsClient, K extends string> implements Transport {
  protected readonly client: Client;
  private readonly ownsClient: boolean;
  private readonly publisher: BatchPublisher;

  protected constructor(
    options: { client?: Client; routes: SubjectRoutes<K>; concurrency?: number; maxMessageBytes?: number },
    spec: BatchTransportSpec<Client, K>,
  ) {
    const { concurrency, maxMessageBytes } = checkTransportOptions(options);
    const router = createSubjectRouter(options.routes, spec.targetKey);
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? spec.createClient();
    this.publisher = new BatchPublisher({
      transportName: spec.transportName,
      router,
      concurrency,
      maxMessageBytes,
      sendBatch: (target, entries) => spec.sendBatch(this.client, target, entries),
    });
  }

  /** Publishes the messages; one result per message, never throws for a per-message problem. */
  publish(messages: readonly OutboxMessage[], options: PublishOptions): Promise<PublishResult[]> {
    return this.publisher.publish(messages, options);
  }

  /** Destroys the client if this transport created it. */
  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}
