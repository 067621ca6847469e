import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InboxRetention } from '@tx-outbox/outbox-core';
import { errorText } from '@tx-outbox/outbox-core/internal';
import { checkReceivedBody } from '../consumer/checkReceivedBody.js';
import type { ConsumedMessage } from '../consumer/ConsumedMessage.js';
import { describeConsumerError } from '../consumer/describeConsumerError.js';
import { SqsConsumer } from '../consumer/SqsConsumer.js';
import { HandlerTable } from './HandlerTable.js';
import type { OutboxConsumerModuleOptions } from './OutboxConsumerModuleOptions.js';
import { OUTBOX_CONSUMER_OPTIONS, OUTBOX_HANDLER_PATTERNS } from './tokens.js';
import { UnhandledSubjectError } from './UnhandledSubjectError.js';

/** What the consumer did since it started. */
export interface OutboxConsumerCounts {
  /** Handlers that ran to completion. */
  processed: number;
  /** Redeliveries the inbox recognised and suppressed (the handler did not run). */
  duplicates: number;
  /** Handler (or inbox) failures; those messages were left for redelivery. */
  failed: number;
  /** Expired inbox records deleted by the module's inbox retention. */
  inboxPurged: number;
}

/**
 * The consumer side in Nest: at bootstrap it finds every provider method marked `@OnOutboxMessage`,
 * then receives from the queue with an `SqsConsumer`, running each message's handler through the inbox,
 * and purges expired inbox records on a schedule. `app.close()` stops receiving and waits for running
 * handlers before the app's DataSource closes.
 */
@Injectable()
export class OutboxConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** The underlying consumer, e.g. for `registerConsumerMetrics` or `consumer.on('message:handled', …)`. */
  sqsConsumer: SqsConsumer | undefined;
  readonly counts: OutboxConsumerCounts = { processed: 0, duplicates: 0, failed: 0, inboxPurged: 0 };
  private readonly handlers = new HandlerTable();
  private retention: InboxRetention | undefined;
  private readonly logger = new Logger('OutboxConsumer');

  constructor(
    @Inject(OUTBOX_CONSUMER_OPTIONS) private readonly options: OutboxConsumerModuleOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    this.discoverHandlers();
    const { consumer, inbox, leaseMs, ttlMs, onDuplicate, unknownSubject = 'retry', inboxRetentionIntervalMs = 60_000, contract: _contract, onInvalidBody: _onInvalid, ...sqs } = this.options;
    const sqsConsumer = new SqsConsumer({
      ...sqs,
      inbox: { store: inbox, consumer, leaseMs, ttlMs, onDuplicate },
      handler: (message) => this.dispatch(message, unknownSubject),
      onError: sqs.onError ?? ((error, context) => this.logger.warn(`${describeConsumerError(error, context)}: ${errorText(error)}`)),
    });
    sqsConsumer.on('message:handled', ({ outcome }) => (outcome === 'duplicate' ? this.counts.duplicates++ : this.counts.processed++));
    sqsConsumer.on('message:failed', () => this.counts.failed++);
    sqsConsumer.on('message:deferred', ({ message, retryInSeconds }) =>
      this.logger.debug(`message ${message.id} is in progress at another instance; put back for ${retryInSeconds} s`),
    );
    this.sqsConsumer = sqsConsumer;
    sqsConsumer.start();
    if (inboxRetentionIntervalMs > 0) {
      this.retention = new InboxRetention(inbox, {
        intervalMs: inboxRetentionIntervalMs,
        onPurged: (count) => (this.counts.inboxPurged += count),
        onRotated: ({ created, truncated, dropped }) => {
          if (created.length + truncated.length + dropped.length === 0) return;
          this.logger.log(`inbox partitions: created ${created.join(', ') || 'none'}; truncated ${truncated.map((t) => t.partition).join(', ') || 'none'}; dropped ${dropped.join(', ') || 'none'}`);
        },
        onError: (error) => this.logger.warn(`inbox retention failed; will retry: ${errorText(error)}`),
      });
      this.retention.start();
    }
    this.logger.log(`consuming ${this.options.queueUrl} as ${consumer} with ${this.handlers.size} handler pattern(s)`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.sqsConsumer?.stop(), this.retention?.stop()]);
  }

  private async dispatch(message: ConsumedMessage, unknownSubject: 'retry' | 'acknowledge'): Promise<void> {
    const handler = this.handlers.find(message.subject);
    if (handler) {
      const { contract, onInvalidBody = (error) => this.logger.warn(error.message) } = this.options;
      const checked = contract ? await checkReceivedBody(contract, message, onInvalidBody) : message;
      if (checked) await handler.run(checked);
      return;
    }
    if (unknownSubject === 'retry') throw new UnhandledSubjectError(message.subject, message.id);
    this.logger.warn(`no handler for subject ${JSON.stringify(message.subject)}; message ${message.id} acknowledged unhandled`);
  }

  private discoverHandlers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const patterns = this.reflector.get<string[] | undefined>(OUTBOX_HANDLER_PATTERNS, fn as () => unknown);
        for (const pattern of patterns ?? []) {
          this.handlers.add(pattern, { name: `${prototype.constructor.name}.${method}`, run: (message) => (fn as (m: ConsumedMessage) => Promise<void>).call(instance, message) });
        }
      }
    }
  }
}
