import { InvalidOptionError } from '@tx-outbox/outbox-core';
import { checkInteger } from '@tx-outbox/outbox-core/internal';
import type { TableLocation } from '../postgres/identifiers.js';
import { type MessageSelection, checkSelection } from '../postgres/outboxStore/messageSelection.js';
import { poolSource } from '../postgres/poolSource.js';
import type { DataSourceLike, PgQueryable, SqlExecutor } from '../postgres/SqlExecutor.js';
import { qualifiedTableName } from '../postgres/identifiers.js';
import { ConfirmationRequiredError } from './ConfirmationRequiredError.js';
import { countDead } from './countDead.js';
import { countSent } from './countSent.js';
import { DEAD_START, type DeadCursor } from './DeadCursor.js';
import { type DeadMessage, listDead } from './listDead.js';
import { type FailureGroups, type FailureLane, listFailureGroups } from './listFailureGroups.js';
import { purgeDead } from './purgeDead.js';
import { republishSent } from './republishSent.js';
import { requeueDead } from './requeueDead.js';
import { seqRangeOfSelection } from './seqRangeOfSelection.js';

/** Options of {@link OutboxAdmin}: where the outbox table is and how to reach it, plus the confirmation threshold. */
export interface OutboxAdminOptions extends TableLocation {
  /** A pg `Pool`. Give exactly one of `pool` and `dataSource`. */
  pool?: PgQueryable;
  /** A TypeORM `DataSource` on the postgres driver. */
  dataSource?: DataSourceLike;
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
  private readonly db: SqlExecutor;
  private readonly table: string;
  private readonly confirmAbove: number;
  private readonly batchSize: number;

  /** @throws InvalidOptionError naming the option; InvalidIdentifierError for a bad table or schema name. */
  constructor(options: OutboxAdminOptions) {
    const { confirmAbove = 1000, batchSize = 1000 } = options ?? ({} as OutboxAdminOptions);
    checkInteger('confirmAbove', confirmAbove, { min: 0 });
    checkInteger('batchSize', batchSize, { min: 1 });
    this.db = poolSource(options ?? {}, { pool: 'a pg Pool (with query())', needsConnect: false }).db;
    this.table = qualifiedTableName(options ?? {}, 'outbox');
    this.confirmAbove = confirmAbove;
    this.batchSize = batchSize;
  }

  /** The most recently dead-lettered messages, newest first, without payloads. */
  async listDead(options: { limit?: number } = {}): Promise<DeadMessage[]> {
    const { limit = 100 } = options;
    checkInteger('limit', limit, { min: 1 });
    return listDead(this.db, this.table, limit);
  }

  /**
   * Failed messages grouped by failure fingerprint (the error with ids, numbers and times normalized
   * away), largest first: the newest `scanLimit` dead letters, or (`lane: 'waiting'`) the first
   * `scanLimit` messages waiting with an error (backing off, or held for a blocked route). Select a
   * group for {@link requeue} or {@link purge} with `{ fingerprint }`.
   */
  failureGroups(options: { lane?: FailureLane; scanLimit?: number } = {}): Promise<FailureGroups> {
    const { lane = 'dead', scanLimit = 10_000 } = options;
    if (lane !== 'dead' && lane !== 'waiting') throw new InvalidOptionError('lane', "'dead' or 'waiting'", lane);
    checkInteger('scanLimit', scanLimit, { min: 1, max: 1_000_000 });
    return listFailureGroups(this.db, this.table, lane, scanLimit);
  }

  /** Makes dead messages pending again (attempts reset). Needs no confirmation: nothing is lost or sent twice. */
  async requeue(selection: MessageSelection, options: AdminOperationOptions = {}): Promise<AdminOperationResult> {
    checkSelection(selection);
    return this.run('requeue', () => countDead(this.db, this.table, selection), () => this.walkDead((c) => requeueDead(this.db, this.table, selection, c, this.batchSize)), { ...options, confirm: true });
  }

  /** Publishes sent messages again (see the class comment). Refused above `confirmAbove` without `confirm`. */
  async republish(selection: MessageSelection, options: AdminOperationOptions = {}): Promise<AdminOperationResult> {
    checkSelection(selection);
    const range = await seqRangeOfSelection(this.db, this.table, selection);
    return this.run('republish', () => countSent(this.db, this.table, selection, range), async () => {
      let total = 0;
      for (let after = range.from - 1n; ; ) {
        const batch = await republishSent(this.db, this.table, selection, after, range.to, this.batchSize);
        total += batch.count;
        if (batch.last === undefined || batch.count < this.batchSize) return total;
        after = batch.last;
      }
    }, options);
  }

  /** Deletes dead messages for good. Refused above `confirmAbove` without `confirm`. */
  async purge(selection: MessageSelection, options: AdminOperationOptions = {}): Promise<AdminOperationResult> {
    checkSelection(selection);
    return this.run('purge', () => countDead(this.db, this.table, selection), () => this.walkDead((c) => purgeDead(this.db, this.table, selection, c, this.batchSize)), options);
  }

  /** Runs `batch` along the dead index from the start until a batch comes back short; returns the total. */
  private async walkDead(batch: (cursor: DeadCursor) => Promise<{ count: number; cursor: DeadCursor | undefined }>): Promise<number> {
    let total = 0;
    for (let cursor = DEAD_START; ; ) {
      const done = await batch(cursor);
      total += done.count;
      if (done.cursor === undefined || done.count < this.batchSize) return total;
      cursor = done.cursor;
    }
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
