import { checkInteger } from '@tx-outbox/outbox-core';
import { PostgresOutboxStore, type PostgresOutboxStoreOptions } from '../postgres/outboxStore/PostgresOutboxStore.js';
import type { DeadMessage } from '../postgres/outboxStore/listDead.js';
import type { MessageSelection } from '../postgres/outboxStore/messageSelection.js';
import { ConfirmationRequiredError } from './ConfirmationRequiredError.js';

/** Options of {@link OutboxAdmin}: where the outbox table is (as for the store), plus the confirmation threshold. */
export interface OutboxAdminOptions extends Omit<PostgresOutboxStoreOptions, 'onListenError'> {
  /**
   * A republish or purge that matches more messages than this is refused with
   * `ConfirmationRequiredError` unless called with `confirm: true`. @defaultValue 1000
   */
  confirmAbove?: number;
  /** Rows per statement of a requeue, republish or purge. @defaultValue 1000 */
  batchSize?: number;
}

/** How one operation runs. */
export interface AdminOperationOptions {
  /** Only count what matches; change nothing. @defaultValue false */
  dryRun?: boolean;
  /** Allow more than `confirmAbove` messages to be changed. @defaultValue false */
  confirm?: boolean;
}

/** What an operation matched, and how many it changed (0 on a dry run). */
export interface AdminOperationResult {
  matched: number;
  changed: number;
  dryRun: boolean;
}

/**
 * The day-two operations on the outbox table, for an admin endpoint or a script: list dead letters,
 * requeue them, purge them, and republish (replay) messages already sent. The `outbox-relay` CLI's
 * `requeue`, `republish` and `purge` commands run through it. It has no access control of its own:
 * expose it only behind your own guard.
 *
 * Republish makes sent messages pending again with their own ids, so consumers that deduplicate on the
 * outbox id skip them (a replay reaches only consumers that do not, or that purged their inbox records).
 *
 * @example
 * ```ts
 * const admin = new OutboxAdmin({ pool });
 * const since = new Date(Date.now() - 3600_000);
 * const preview = await admin.republish({ subject: 'payment.created', since }, { dryRun: true });
 * if (preview.matched > 0) await admin.republish({ subject: 'payment.created', since }, { confirm: true });
 * ```
 */
export class OutboxAdmin {
  private readonly store: PostgresOutboxStore;
  private readonly confirmAbove: number;
  private readonly batch: { batchSize: number };

  /** @throws InvalidOptionError naming the option. */
  constructor(options: OutboxAdminOptions) {
    const { confirmAbove = 1000, batchSize = 1000, ...storeOptions } = options ?? ({} as OutboxAdminOptions);
    checkInteger('confirmAbove', confirmAbove, { min: 0 });
    checkInteger('batchSize', batchSize, { min: 1 });
    this.store = new PostgresOutboxStore(storeOptions);
    this.confirmAbove = confirmAbove;
    this.batch = { batchSize };
  }

  /** The most recently dead-lettered messages, newest first, without payloads. */
  listDead(options: { limit?: number } = {}): Promise<DeadMessage[]> {
    return this.store.listDead(options);
  }

  /** Makes dead messages pending again (attempts reset). Needs no confirmation: nothing is lost or sent twice. */
  requeue(selection: MessageSelection, options: AdminOperationOptions = {}): Promise<AdminOperationResult> {
    return this.run('requeue', () => this.store.countDead(selection), () => this.store.requeueDead(selection, this.batch), { ...options, confirm: true });
  }

  /** Publishes sent messages again (see the class comment). Refused above `confirmAbove` without `confirm`. */
  republish(selection: MessageSelection, options: AdminOperationOptions = {}): Promise<AdminOperationResult> {
    return this.run('republish', () => this.store.countSent(selection), () => this.store.republishSent(selection, this.batch), options);
  }

  /** Deletes dead messages for good. Refused above `confirmAbove` without `confirm`. */
  purge(selection: MessageSelection, options: AdminOperationOptions = {}): Promise<AdminOperationResult> {
    return this.run('purge', () => this.store.countDead(selection), () => this.store.purgeDead(selection, this.batch), options);
  }

  private async run(
    operation: string,
    count: () => Promise<number>,
    change: () => Promise<number>,
    { dryRun = false, confirm = false }: AdminOperationOptions,
  ): Promise<AdminOperationResult> {
    const matched = await count();
    if (dryRun) return { matched, changed: 0, dryRun };
    if (matched > this.confirmAbove && !confirm) throw new ConfirmationRequiredError(operation, matched, this.confirmAbove);
    return { matched, changed: await change(), dryRun };
  }
}
