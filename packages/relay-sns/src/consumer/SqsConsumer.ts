import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { SafeEmitter } from '@tx-outbox/outbox-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientConfig } from '../aws/AwsClientOptions.js';
import { destinationName } from '../brokerBatch/destinationName.js';
import type { ConsumedMessage } from './ConsumedMessage.js';
import type { SqsConsumerEvents } from './SqsConsumerEvents.js';
import { handleReceivedMessage, receiveOutboxMessage, type ReceivedOutboxMessage } from './receiveOutboxMessage.js';
import { resolveSqsConsumerOptions } from './SqsConsumerOptions.js';
import type { ResolvedSqsConsumerOptions, SqsConsumerErrorContext, SqsConsumerOptions } from './SqsConsumerOptions.js';

/** Pause after a failed ReceiveMessage, so an unreachable endpoint is not hammered. */
const RECEIVE_ERROR_PAUSE_MS = 1_000;

/**
 * Long-polls an SQS queue and runs a handler for each outbox message, at most `concurrency` at once.
 * Messages from an SNS subscription with or without raw delivery decode to the same
 * `{ id, subject, body, headers }`. A message is deleted when its handler resolves; when the handler
 * throws it stays on the queue and is redelivered after the visibility timeout (or `retryDelaySeconds`).
 * With `inbox`, the handler runs through `handleOnce`, so a redelivered id is skipped (and deleted).
 *
 * @example
 * ```ts
 * const consumer = new SqsConsumer({
 *   queueUrl,
 *   region: 'eu-west-1',
 *   handler: async ({ id, subject, body }) => { await billing.apply(subject, body); },
 *   inbox: { store: new TransactionalInboxStore({ dataSource }), consumer: 'billing' },
 * });
 * consumer.start();
 * process.once('SIGTERM', () => consumer.stop());
 * ```
 */
export class SqsConsumer {
  private readonly options: ResolvedSqsConsumerOptions;
  private readonly client: SQSClient;
  private readonly ownsClient: boolean;
  private readonly inFlight = new Set<Promise<void>>();
  /** FIFO: the last task of each message group in flight, so the next one of the group waits for it. */
  private readonly groupTails = new Map<string, Promise<boolean>>();
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private slotFreed: (() => void) | undefined;
  /** The queue's name, for spans and metrics. */
  readonly queueName: string;
  private readonly events = new SafeEmitter<SqsConsumerEvents>({
    error: (_message, context) => this.report(context?.error, { stage: 'listener' }),
  });

  constructor(options: SqsConsumerOptions) {
    this.options = resolveSqsConsumerOptions(options);
    this.queueName = destinationName(this.options.queueUrl);
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new SQSClient(clientConfig(options));
  }

  /** Subscribes to an event (see {@link SqsConsumerEvents}); returns a function that unsubscribes. */
  on<E extends keyof SqsConsumerEvents>(event: E, listener: (payload: SqsConsumerEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Whether the consumer is receiving. */
  get running(): boolean {
    return this.loop !== undefined && !this.stopping;
  }

  /** Starts receiving. Calling it again while running does nothing. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.abort = new AbortController();
    this.loop = this.receiveLoop();
  }

  /**
   * Stops receiving (an open long poll is cancelled; messages it may have taken reappear after their
   * visibility timeout), waits for the running handlers to finish and acknowledges them, then resolves.
   * Destroys the client if the consumer created it.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.slotFreed?.();
    await this.loop;
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    this.loop = undefined;
    if (this.ownsClient) this.client.destroy();
  }

  private async receiveLoop(): Promise<void> {
    const { concurrency } = this.options;
    while (!this.stopping) {
      if (this.inFlight.size >= concurrency) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        continue;
      }
      let messages: Message[];
      try {
        messages = await this.receive(Math.min(10, concurrency - this.inFlight.size));
      } catch (error) {
        if (this.stopping) break;
        this.report(error, { stage: 'receive' });
        await sleep(RECEIVE_ERROR_PAUSE_MS, undefined, { signal: this.abort.signal }).catch(() => undefined);
        continue;
      }
      for (const raw of messages) this.track(this.processInGroupOrder(raw));
    }
  }

  private async receive(max: number): Promise<Message[]> {
    const { queueUrl, waitTimeSeconds, visibilityTimeout } = this.options;
    const out = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitTimeSeconds,
        VisibilityTimeout: visibilityTimeout,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageGroupId'],
      }),
      { abortSignal: this.abort.signal },
    );
    return out.Messages ?? [];
  }

  private track(task: Promise<void>): void {
    this.inFlight.add(task);
    void task.finally(() => {
      this.inFlight.delete(task);
      const wake = this.slotFreed;
      this.slotFreed = undefined;
      wake?.();
    });
  }

  /**
   * A FIFO queue may hand over several messages of one group in one receive. They are handled one
   * after the other, and once one fails the later ones are left for redelivery too: handling them
   * in parallel, or after a failure, would delete a group's later message before its earlier one.
   */
  private processInGroupOrder(raw: Message): Promise<void> {
    const group = raw.Attributes?.MessageGroupId;
    if (group === undefined) return this.process(raw).then(() => undefined);
    const previous = this.groupTails.get(group) ?? Promise.resolve(true);
    const task = previous.then((earlierHandled) => (earlierHandled ? this.process(raw) : this.leaveForRedelivery(raw)));
    this.groupTails.set(group, task);
    return task.then(() => {
      if (this.groupTails.get(group) === task) this.groupTails.delete(group);
    });
  }

  private async leaveForRedelivery(raw: Message): Promise<boolean> {
    await this.delayRedelivery(raw);
    return false;
  }

  /** Never rejects: every failure is reported and the message is left on the queue. Resolves to whether it was handled. */
  private async process(raw: Message): Promise<boolean> {
    let received: ReceivedOutboxMessage;
    try {
      received = receiveOutboxMessage(raw);
    } catch (error) {
      // Left for the queue's redrive policy: deleting would lose it without a trace.
      this.report(error, { stage: 'decode', raw });
      return false;
    }
    const { message } = received;
    const started = performance.now();
    try {
      // A duplicate resolves without running the handler, and is then deleted like a processed message.
      const outcome = await handleReceivedMessage(received, { handler: this.options.handler, inbox: this.options.inbox, destination: this.queueName });
      this.events.emit('message:handled', { message, outcome, durationMs: performance.now() - started });
    } catch (error) {
      this.events.emit('message:failed', { message, error, durationMs: performance.now() - started });
      this.report(error, { stage: 'handler', message, raw });
      await this.delayRedelivery(raw, message);
      return false;
    }
    try {
      await this.client.send(new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: raw.ReceiptHandle }));
    } catch (error) {
      this.report(error, { stage: 'delete', message, raw });
    }
    return true;
  }

  private async delayRedelivery(raw: Message, message?: ConsumedMessage): Promise<void> {
    const { retryDelaySeconds, queueUrl } = this.options;
    if (retryDelaySeconds === undefined) return;
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: raw.ReceiptHandle, VisibilityTimeout: retryDelaySeconds }),
      );
    } catch (error) {
      this.report(error, { stage: 'visibility', message, raw });
    }
  }

  private report(error: unknown, context: SqsConsumerErrorContext): void {
    // Not for a listener's own error: a throwing `consumer:error` listener would report itself forever.
    if (context.stage !== 'listener') this.events.emit('consumer:error', { stage: context.stage, error });
    try {
      this.options.onError(error, context);
    } catch (listenerError) {
      console.error('SqsConsumer onError threw:', listenerError);
    }
  }
}
