import { type OutboxStats, InvalidOptionError } from '@tx-outbox/outbox-core';
import { checkInteger } from '@tx-outbox/outbox-core/internal';
import { listFailureGroups, type FailureGroups } from '../admin/listFailureGroups.js';
import { seqRangeOfSelection } from '../admin/seqRangeOfSelection.js';
import type { TableLocation } from '../postgres/identifiers.js';
import { type MessageSelection, checkSelection } from '../postgres/outboxStore/messageSelection.js';
import { EXACT_COUNT_LIMIT, readStats } from '../postgres/outboxStore/readStats.js';
import { poolSource } from '../postgres/poolSource.js';
import { type OutboxNames, outboxNames } from '../postgres/schema/outboxNames.js';
import type { DataSourceLike, PgQueryable, SqlExecutor } from '../postgres/SqlExecutor.js';
import { createdWindow } from './createdWindow.js';
import { MESSAGE_STATUSES, type MessageStatus } from './messageStatus.js';
import { type BacklogBySubject, readBacklogBySubject } from './readBacklogBySubject.js';
import { readDatabaseNow } from './readDatabaseNow.js';
import { type DeadSeries, readDeadSeries } from './readDeadSeries.js';
import { type MessageDetail, readMessage } from './readMessage.js';
import { readPayload } from './readPayload.js';
import { type PublishMinute, readPublishSeries } from './readPublishSeries.js';
import { readSentBySubject, type SubjectSent } from './readSentBySubject.js';
import { type LaneCursor, type SearchLane, type SearchPage, searchMessages } from './searchMessages.js';

/** Options of {@link OutboxInspector}: where the outbox table is and how to reach it. */
export interface OutboxInspectorOptions extends TableLocation {
  /** A pg `Pool`. Give exactly one of `pool` and `dataSource`. */
  pool?: PgQueryable;
  /** A TypeORM `DataSource` on the postgres driver. */
  dataSource?: DataSourceLike;
}

/** Everything the overview shows, read in a bounded number of index walks (see {@link OutboxInspector.overview}). */
export interface OutboxOverview {
  /** The database's clock when it was read. */
  now: Date;
  /** The store's backlog figures (exact up to 10,000 per lane, then estimates flagged `approximate`). */
  stats: OutboxStats;
  /** Waiting messages that are not leased (delayed or backing off), among those read. */
  waiting: number;
  backlog: BacklogBySubject;
  /** Sent messages per subject created in the last hour and day, and whether those figures are estimates. */
  sent: { subjects: SubjectSent[]; exact: boolean };
  /** Messages waiting with an error, grouped: a blocked route's or a backing-off failure's. */
  waitingFailures: FailureGroups;
}

/** The console's charts: per minute over a window. */
export interface OutboxSeries {
  now: Date;
  since: Date;
  published: PublishMinute[];
  /** Whether `published` counted every row of the window (else a sample, scaled). */
  publishedExact: boolean;
  dead: DeadSeries;
}

/** What a search asks for: a selection filter (as the operator's commands take it), a status, a page. */
export interface MessageSearch {
  filter?: Exclude<MessageSelection, 'all'>;
  status?: MessageStatus;
  /** Where the previous page ended (its `next`). */
  cursor?: LaneCursor;
  /** @defaultValue 50 */
  pageSize?: number;
}

/** Rows a search page walks at most; rows of a window read exactly at most (else sampled). */
const SCAN_LIMIT = 10_000;
const WINDOW_ROWS = 2_000;

/**
 * Read-only views of an outbox table for an operator's console: the backlog per subject, charts over
 * the last hours, failed messages grouped by fingerprint, a keyset-paged search, one message. Every
 * read is bounded whatever the table holds (10 million rows cost what 10,000 do): each walks one of the
 * table's indexes for at most 10,000 entries, and figures beyond that are estimates, flagged. It adds
 * no index: claims and sent marks stay heap-only updates. Changes go through `OutboxAdmin`.
 *
 * @example
 * ```ts
 * const inspector = new OutboxInspector({ pool });
 * const { stats, backlog } = await inspector.overview();
 * const page = await inspector.search({ status: 'dead', filter: { subject: 'payment.*' } });
 * ```
 */
export class OutboxInspector {
  private readonly db: SqlExecutor;
  private readonly names: OutboxNames;

  /** @throws InvalidOptionError naming the option; InvalidIdentifierError for a bad table or schema name. */
  constructor(options: OutboxInspectorOptions) {
    this.db = poolSource(options ?? {}, { pool: 'a pg Pool (with query())', needsConnect: false }).db;
    this.names = outboxNames(options ?? {});
  }

  /** The quoted table name it reads. */
  get table(): string {
    return this.names.table;
  }

  /** The overview: backlog figures, per subject, sent in the last hour and day, waiting failures. */
  async overview(): Promise<OutboxOverview> {
    const now = await readDatabaseNow(this.db);
    const day = new Date(now.getTime() - 86_400_000);
    const window = await createdWindow(this.db, this.names.table, day, WINDOW_ROWS);
    const [stats, backlog, sent, waitingFailures] = await Promise.all([
      readStats(this.db, this.names, 0n),
      readBacklogBySubject(this.db, this.names, EXACT_COUNT_LIMIT),
      readSentBySubject(this.db, this.names.table, window, day, new Date(now.getTime() - 3_600_000)),
      listFailureGroups(this.db, this.names.table, 'waiting', EXACT_COUNT_LIMIT),
    ]);
    const waiting = backlog.subjects.reduce((n, s) => n + s.waiting, 0);
    return { now, stats, waiting, backlog, sent: { subjects: sent, exact: window.exact }, waitingFailures };
  }

  /** Published messages per minute with their median lag, and dead letters per minute, over the last `windowMs`. */
  async series(options: { windowMs?: number } = {}): Promise<OutboxSeries> {
    const windowMs = checkInteger('windowMs', options.windowMs ?? 3 * 3_600_000, { min: 60_000, max: 7 * 86_400_000 });
    const now = await readDatabaseNow(this.db);
    const since = new Date(now.getTime() - windowMs);
    const window = await createdWindow(this.db, this.names.table, since, WINDOW_ROWS);
    const [published, dead] = await Promise.all([
      readPublishSeries(this.db, this.names.table, window, since),
      readDeadSeries(this.db, this.names.table, since, EXACT_COUNT_LIMIT),
    ]);
    return { now, since, published, publishedExact: window.exact, dead };
  }

  /** Failed messages grouped by fingerprint (as `OutboxAdmin.failureGroups`). */
  failureGroups(lane: 'dead' | 'waiting' = 'dead'): Promise<FailureGroups> {
    return listFailureGroups(this.db, this.names.table, lane, EXACT_COUNT_LIMIT);
  }

  /**
   * One page of messages: by id (the primary key), else along the index of the status asked for
   * (dead letters newest first, waiting ones next due first, pending and in-flight ones oldest first,
   * sent and all newest first), keyset-paged, at most 10,000 index entries a page.
   * @throws InvalidOptionError for a bad filter, status or page size.
   */
  async search(query: MessageSearch = {}): Promise<SearchPage & { lane: SearchLane }> {
    const { filter = {}, status, cursor, pageSize = 50 } = query;
    if (Object.keys(filter).length > 0) checkSelection(filter);
    if (status !== undefined && !MESSAGE_STATUSES.includes(status)) throw new InvalidOptionError('status', MESSAGE_STATUSES.join(', '), status);
    checkInteger('pageSize', pageSize, { min: 1, max: 500 });
    const lane: SearchLane = status === 'dead' ? 'dead' : status === 'waiting' ? 'waiting' : status === 'pending' || status === 'in_flight' ? 'forward' : 'backward';
    // Times narrow the seq lanes to a seq range (a binary search on the seq index).
    const timed = filter.since !== undefined || filter.until !== undefined;
    const seqRange = timed && (lane === 'forward' || lane === 'backward') ? await seqRangeOfSelection(this.db, this.names.table, filter) : { from: 0n, to: 2n ** 62n };
    const page = await searchMessages(this.db, this.names, { lane, filter, status, cursor, scanLimit: SCAN_LIMIT, pageSize, seqRange });
    return { ...page, lane };
  }

  /** One message with its payload cut at `payloadLimit` characters (256 KiB by default), or `undefined`. */
  message(id: string, options: { payloadLimit?: number } = {}): Promise<MessageDetail | undefined> {
    checkId(id);
    const payloadLimit = checkInteger('payloadLimit', options.payloadLimit ?? 256 * 1024, { min: 1 });
    return readMessage(this.db, this.names.table, id, payloadLimit);
  }

  /** One message's whole payload as JSON text, or `undefined`. */
  payload(id: string): Promise<string | undefined> {
    checkId(id);
    return readPayload(this.db, this.names.table, id);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @throws InvalidOptionError unless `id` is a message uuid. */
function checkId(id: unknown): void {
  if (typeof id !== 'string' || !UUID.test(id)) throw new InvalidOptionError('id', 'a message uuid', id);
}
