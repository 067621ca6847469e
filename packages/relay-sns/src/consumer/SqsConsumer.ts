import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { type MessageInProgressError } from '@tx-outbox/outbox-core';
import { SafeEmitter, computeBackoff } from '@tx-outbox/outbox-core/internal';
import { setTimeout as sleep } from 'node:timers/promises';
import { clientConfig } from '../aws/AwsClientOptions.js';
import { ClaimCheckReader } from '../claimCheck/ClaimCheckReader.js';
import { readClaimCheckedBody } from '../claimCheck/readClaimCheckedBody.js';
import { destinationName } from '../brokerBatch/destinationName.js';
import type { ConsumedMessage } from './ConsumedMessage.js';
import { EntryBatcher, MAX_BATCH_ENTRIES } from './EntryBatcher.js';
import { changeVisibilities, deleteMessages, type VisibilityChange } from './sendBatchEntries.js';
import type { SqsConsumerEvents } from './SqsConsumerEvents.js';
import { handleReceivedMessage, receiveOutboxMessage, type ReceivedOutboxMessage } from './receiveOutboxMessage.js';
import { resolveSqsConsumerOptions } from './SqsConsumerOptions.js';
import type { ResolvedSqsConsumerOptions, SqsConsumerErrorContext, SqsConsumerOptions } from './SqsConsumerOptions.js';
import { MAX_VISIBILITY_SECONDS, VisibilityHeartbeat } from './VisibilityHeartbeat.js';

/** Pause after failed ReceiveMessages, doubling while they keep failing, so a wrong queue URL or an unreachable endpoint is not hammered. */
const RECEIVE_BACKOFF = { initialIntervalMs: 1_000, backoffCoefficient: 2, maxIntervalMs: 30_000, jitter: 0.1 };
/** SQS's default visibility timeout: asked for explicitly when the queue's own cannot be read. */
const SQS_DEFAULT_VISIBILITY_SECONDS = 30;
/**
 * While fewer slots are free than one receive can fill, the next receive waits for more handlers to
 * finish as long as one finishes within this long of the last: fast handlers free their slots in tens,
 * and a slow one holding its slot does not hold the receives back.
 */
const RECEIVE_FILL_GAP_MS = 10;
/** How long a handled message's delete waits for nine more before a DeleteMessageBatch goes out short. */
const DELETE_BATCH_WAIT_MS = 50;
/** Calls in all for a batch entry SQS refused with an error of its own (`SenderFault: false`). */
const ENTRY_TRIES = 3;

/**
 * Long-polls an SQS queue and runs a handler for each outbox message, at most `concurrency` at once.
 * Messages from an SNS subscription with or without raw delivery decode to the same
 * `{ id, subject, body, headers }`; a claim-checked one (its body in S3, AWS's extended-client pointer
 * format) is read from S3 first. A message is deleted when its handler resolves (DeleteMessageBatch,
 * 10 at a time or after a short wait); when the handler throws it stays on the queue and is redelivered
 * after the visibility timeout (or `retryDelaySeconds`). With `inbox`, the handler runs through
 * `handleOnce`, so a redelivered id is skipped (and deleted); one that another instance is still
 * handling is put back until that instance's lease ends. While a handler runs, its message's visibility
 * is extended (a heartbeat, ChangeMessageVisibilityBatch) and its inbox lease renewed, so a handler
 * slower than either is never run twice at once and finishes once.
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
  /** Reads claim-checked bodies from S3. */
  private readonly claimCheck: ClaimCheckReader;
  private readonly inFlight = new Set<Promise<void>>();
  /** FIFO: the last task of each message group in flight, so the next one of the group waits for it. */
  private readonly groupTails = new Map<string, Promise<boolean>>();
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private slotFreed: (() => void) | undefined;
  /** The visibility timeout messages are received with (0: no heartbeat), once settled by resolveVisibility. */
  private visibility: { receiveWith: number | undefined; seconds: number } | undefined;
  private heartbeat: VisibilityHeartbeat | undefined;
  /** Deletes and visibility changes still to be acknowledged by SQS; `stop()` waits for them. */
  private readonly acknowledging = new Set<Promise<unknown>>();
  private readonly deletes: EntryBatcher<string>;
  private readonly visibilityChanges: EntryBatcher<VisibilityChange>;
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
    this.claimCheck = new ClaimCheckReader(options.claimCheck, options);
    const { queueUrl } = this.options;
    this.deletes = new EntryBatcher({ send: (handles) => deleteMessages(this.client, queueUrl, handles), maxWaitMs: DELETE_BATCH_WAIT_MS, tries: ENTRY_TRIES });
    this.visibilityChanges = new EntryBatcher({ send: (changes) => changeVisibilities(this.client, queueUrl, changes), maxWaitMs: DELETE_BATCH_WAIT_MS, tries: ENTRY_TRIES });
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
   * visibility timeout), waits for the running handlers to finish, sends the deletes and visibility
   * changes still waiting for a batch and waits for SQS's answers, then resolves. Destroys the client if
   * the consumer created it.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.slotFreed?.();
    await this.loop;
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    await Promise.all([this.deletes.flush(), this.visibilityChanges.flush()]);
    await Promise.all(this.acknowledging);
    this.heartbeat?.stop();
    // Settled again (and the heartbeat made again) if the consumer is started again.
    this.heartbeat = undefined;
    this.visibility = undefined;
    this.loop = undefined;
    this.claimCheck.close();
    if (this.ownsClient) this.client.destroy();
  }

  private async receiveLoop(): Promise<void> {
    const { concurrency } = this.options;
    let failedReceives = 0;
    while (!this.stopping) {
      if (this.inFlight.size >= concurrency) {
        await this.nextSlotFreed();
        continue;
      }
      await this.fillSlots();
      if (this.stopping) break;
      let messages: Message[];
      const receivedAt = performance.now();
      try {
        messages = await this.receive(Math.min(MAX_BATCH_ENTRIES, concurrency - this.inFlight.size));
        failedReceives = 0;
      } catch (error) {
        if (this.stopping) break;
        failedReceives += 1;
        const retryInMs = computeBackoff(failedReceives, RECEIVE_BACKOFF);
        this.report(error, { stage: 'receive', retryInMs });
        await sleep(retryInMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
        continue;
      }
      for (const raw of messages) this.track(this.processInGroupOrder(raw, receivedAt));
    }
  }

  private nextSlotFreed(): Promise<void> {
    return new Promise<void>((resolve) => (this.slotFreed = resolve));
  }

  /**
   * While fewer slots are free than one receive can fill, waits for more handlers to finish, as long
   * as each finishes within RECEIVE_FILL_GAP_MS of the last: a receive then asks for 10 messages, not
   * for the one or two slots the fastest handlers freed.
   */
  private async fillSlots(): Promise<void> {
    const { concurrency } = this.options;
    const fill = Math.min(MAX_BATCH_ENTRIES, concurrency);
    while (!this.stopping && concurrency - this.inFlight.size < fill) {
      let timer: NodeJS.Timeout | undefined;
      const gapOver = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), RECEIVE_FILL_GAP_MS)));
      const freed = await Promise.race([this.nextSlotFreed().then(() => false), gapOver]);
      clearTimeout(timer);
      if (freed) return;
    }
  }

  private async receive(max: number): Promise<Message[]> {
    const { queueUrl, waitTimeSeconds } = this.options;
    const visibilityTimeout = (await this.resolveVisibility()).receiveWith;
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

  /**
   * The visibility timeout messages are received with, settled once: the option; else (with the
   * heartbeat on) the queue's own setting, read with GetQueueAttributes so the heartbeat knows what it
   * extends. When that cannot be read (no sqs:GetQueueAttributes permission, say), messages are received
   * asking for SQS's default of 30 s explicitly, rather than guessing the queue's.
   */
  private async resolveVisibility(): Promise<{ receiveWith: number | undefined; seconds: number }> {
    if (this.visibility) return this.visibility;
    this.visibility = await this.readVisibility();
    if (this.options.extendVisibility) {
      this.heartbeat = new VisibilityHeartbeat({
        visibilitySeconds: this.visibility.seconds,
        changes: this.visibilityChanges,
        onError: (error, raw) => this.report(error, { stage: 'visibility', raw }),
      });
    }
    return this.visibility;
  }

  private async readVisibility(): Promise<{ receiveWith: number | undefined; seconds: number }> {
    const { visibilityTimeout, extendVisibility, queueUrl } = this.options;
    if (visibilityTimeout !== undefined) return { receiveWith: visibilityTimeout, seconds: visibilityTimeout };
    if (!extendVisibility) return { receiveWith: undefined, seconds: 0 };
    try {
      const command = new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] });
      const seconds = Number((await this.client.send(command, { abortSignal: this.abort.signal })).Attributes?.VisibilityTimeout);
      if (Number.isInteger(seconds) && seconds >= 0) return { receiveWith: undefined, seconds };
    } catch (error) {
      if (this.stopping) throw error;
      this.report(error, { stage: 'visibility' });
    }
    return { receiveWith: SQS_DEFAULT_VISIBILITY_SECONDS, seconds: SQS_DEFAULT_VISIBILITY_SECONDS };
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
   * Each message's visibility is extended from its receipt on, also while it waits for its group.
   */
  private processInGroupOrder(raw: Message, receivedAt: number): Promise<void> {
    const stopHeartbeat = this.startHeartbeat(raw, receivedAt);
    const group = raw.Attributes?.MessageGroupId;
    if (group === undefined) return this.process(raw, receivedAt, stopHeartbeat).then(() => undefined);
    const previous = this.groupTails.get(group) ?? Promise.resolve(true);
    const task = previous.then((earlierHandled) => (earlierHandled ? this.process(raw, receivedAt, stopHeartbeat) : this.leaveForRedelivery(raw, stopHeartbeat)));
    this.groupTails.set(group, task);
    return task.then(() => {
      if (this.groupTails.get(group) === task) this.groupTails.delete(group);
    });
  }

  /** Extends the message's visibility while it is held (see VisibilityHeartbeat); returns the stop function. */
  private startHeartbeat(raw: Message, receivedAt: number): () => Promise<void> {
    return this.heartbeat?.hold(raw, receivedAt) ?? (async () => undefined);
  }

  private async leaveForRedelivery(raw: Message, stopHeartbeat: () => Promise<void>): Promise<boolean> {
    await stopHeartbeat();
    this.delayRedelivery(raw);
    return false;
  }

  /**
   * Never rejects: every failure is reported and the message is left on the queue. Resolves to whether
   * it was handled. The heartbeat is stopped (and its last extension awaited) before the message is
   * deleted or given back, so a late extension cannot undo `retryDelaySeconds`. The delete is queued
   * only once the handler (and with it the inbox's transaction) has resolved, and the slot is free
   * before SQS answers it: `stop()` waits for the answer.
   */
  private async process(raw: Message, receivedAt: number, stopHeartbeat: () => Promise<void>): Promise<boolean> {
    let received: ReceivedOutboxMessage;
    try {
      received = receiveOutboxMessage(raw);
    } catch (error) {
      await stopHeartbeat();
      // Left for the queue's redrive policy: deleting would lose it without a trace.
      this.report(error, { stage: 'decode', raw });
      return false;
    }
    if (received.claimCheck) {
      try {
        received = await readClaimCheckedBody(received, this.claimCheck);
      } catch (error) {
        await stopHeartbeat();
        const decode = (error as Error)?.name === 'UndecodableMessageError';
        this.report(error, { stage: decode ? 'decode' : 'payload', message: received.message, raw });
        // S3 may answer next time: redelivered like a failed handler.
        if (!decode) this.delayRedelivery(raw, received.message);
        return false;
      }
    }
    const { message } = received;
    const started = performance.now();
    try {
      // A duplicate resolves without running the handler, and is then deleted like a processed message.
      const outcome = await handleReceivedMessage(received, {
        handler: this.options.handler,
        inbox: this.options.inbox,
        destination: this.queueName,
        onRenewError: (error) => this.report(error, { stage: 'lease', message, raw }),
      });
      await stopHeartbeat();
      this.events.emit('message:handled', { message, outcome, durationMs: performance.now() - started });
    } catch (error) {
      await stopHeartbeat();
      if ((error as Error)?.name === 'MessageInProgressError') {
        this.putBackWhileInProgress(raw, message, error as MessageInProgressError, performance.now() - receivedAt);
        return false;
      }
      this.events.emit('message:failed', { message, error, durationMs: performance.now() - started });
      this.report(error, { stage: 'handler', message, raw });
      this.delayRedelivery(raw, message);
      return false;
    }
    const group = raw.Attributes?.MessageGroupId;
    // A FIFO group's next message is handed out only once this one is deleted: no waiting for a batch.
    this.acknowledge(this.deletes.add(raw.ReceiptHandle!, group !== undefined), (error) => this.report(error, { stage: 'delete', message, raw }));
    return true;
  }

  /**
   * Another instance is handling the same outbox id: put the message back until that instance's lease
   * ends (one receive per lease, not one per visibility timeout or retry delay, so a holder that died
   * does not use up the queue's `maxReceiveCount`), or for one visibility timeout when the store cannot tell.
   */
  private putBackWhileInProgress(raw: Message, message: ConsumedMessage, error: MessageInProgressError, ageMs: number): void {
    const retryAfterMs = error.retryAfterMs ?? (this.visibility?.seconds ?? SQS_DEFAULT_VISIBILITY_SECONDS) * 1000;
    const seconds = Math.max(1, Math.min(Math.ceil(retryAfterMs / 1000), MAX_VISIBILITY_SECONDS - Math.ceil(ageMs / 1000)));
    this.events.emit('message:deferred', { message, reason: 'in_progress', retryInSeconds: seconds });
    this.changeVisibility(raw, seconds, message);
  }

  private delayRedelivery(raw: Message, message?: ConsumedMessage): void {
    const { retryDelaySeconds } = this.options;
    if (retryDelaySeconds !== undefined) this.changeVisibility(raw, retryDelaySeconds, message);
  }

  private changeVisibility(raw: Message, seconds: number, message?: ConsumedMessage): void {
    if (raw.ReceiptHandle === undefined) return;
    this.acknowledge(this.visibilityChanges.add({ receiptHandle: raw.ReceiptHandle, seconds }), (error) => this.report(error, { stage: 'visibility', message, raw }));
  }

  /** Tracks an SQS answer still to come (stop() waits for it) and reports it if it failed. */
  private acknowledge(pending: Promise<{ ok: true } | { ok: false; error: unknown }>, onError: (error: unknown) => void): void {
    const settled = pending.then((result) => {
      if (!result.ok) onError(result.error);
    });
    this.acknowledging.add(settled);
    void settled.finally(() => this.acknowledging.delete(settled));
  }

  private report(error: unknown, where: Omit<SqsConsumerErrorContext, 'queueUrl'>): void {
    const context: SqsConsumerErrorContext = { ...where, queueUrl: this.options.queueUrl };
    // Not for a listener's own error: a throwing `consumer:error` listener would report itself forever.
    if (context.stage !== 'listener') this.events.emit('consumer:error', { stage: context.stage, error });
    try {
      this.options.onError(error, context);
    } catch (listenerError) {
      console.error('SqsConsumer onError threw:', listenerError);
    }
  }
}
