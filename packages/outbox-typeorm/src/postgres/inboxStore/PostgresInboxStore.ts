import { randomUUID } from 'node:crypto';
import { handleOnce, type InboxRotation, type InboxBeginOptions, type InboxBeginResult, type InboxLease, type InboxStore, type HandleOnceOptions, type HandleOnceResult } from '@tx-outbox/outbox-core';
import { checkInteger } from '@tx-outbox/outbox-core/internal';
import { qualifiedTableName, type TableLocation } from '../identifiers.js';
import { DEFAULT_INBOX_TABLE } from '../schema/inboxTableName.js';
import { inboxPartitionNames } from './partitions/inboxPartitionNames.js';
import { readInboxLayout } from './partitions/readInboxLayout.js';
import { rotateInboxPartitions, type RotateInboxOptions } from './partitions/rotateInboxPartitions.js';
import type { SqlExecutor } from '../SqlExecutor.js';
import { poolSource } from '../poolSource.js';
import { acquireInboxRecord } from './acquireInboxRecord.js';
import { completeInboxRecord } from './completeInboxRecord.js';
import { extendInboxLease } from './extendInboxLease.js';
import type { PostgresInboxStoreOptions } from './PostgresInboxStoreOptions.js';
import { purgeExpiredInboxRecords } from './purgeExpiredInboxRecords.js';
import { readInboxRecord, type InboxRecord } from './readInboxRecord.js';
import { recordOutcome } from './recordOutcome.js';
import { releaseInboxRecord } from './releaseInboxRecord.js';

// A record can vanish between the acquire and the follow-up read (released or purged meanwhile);
// the acquire is then simply tried again, a few times at most.
export const ACQUIRE_ATTEMPTS = 3;

/**
 * The {@link InboxStore} on a PostgreSQL table (`inboxTableDdl`, `createInboxMigration`): records
 * survive restarts and are shared by every instance of a consumer. The handler's writes and the
 * `done` record are separate commits here; for an exactly-once effect of database work use
 * `TransactionalInboxStore`, which commits them together.
 *
 * @example
 * ```ts
 * const inbox = new PostgresInboxStore({ pool });
 * const outcome = await inbox.handleOnce({ consumer: 'mailer', messageId, payload: body }, () => sendMail(to));
 * ```
 */
export class PostgresInboxStore implements InboxStore {
  /** The quoted, schema-qualified table name. */
  protected readonly table: string;
  private readonly location: TableLocation;
  private readonly db: SqlExecutor;

  /** @throws InvalidOptionError unless exactly one of `pool`/`dataSource` is given; InvalidIdentifierError for bad names. */
  constructor(options: PostgresInboxStoreOptions) {
    this.db = poolSource(options ?? {}, { pool: 'a pg Pool or Client', needsConnect: false }).db;
    this.table = qualifiedTableName(options, DEFAULT_INBOX_TABLE);
    this.location = { tableName: options.tableName, schema: options.schema };
    inboxPartitionNames(this.location);
  }

  /** `handleOnce(this, options, handler)`: runs `handler` at most once to completion per (consumer, messageId). */
  handleOnce<T>(options: HandleOnceOptions, handler: () => T | Promise<T>): Promise<HandleOnceResult<T>> {
    return handleOnce(this, options, handler);
  }

  async begin(options: InboxBeginOptions): Promise<InboxBeginResult> {
    const fingerprint = options.fingerprint ?? null;
    let record: InboxRecord | undefined;
    for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
      const token = randomUUID();
      if (await acquireInboxRecord(this.db, this.table, { ...options, token, fingerprint })) return { outcome: 'acquired', token };
      record = await readInboxRecord(this.db, this.table, options.consumer, options.messageId);
      if (record) break;
    }
    return recordOutcome(record, fingerprint);
  }

  complete(lease: InboxLease, ttlMs: number): Promise<boolean> {
    return completeInboxRecord(this.db, this.table, lease, ttlMs);
  }

  extendLease(lease: InboxLease, leaseMs: number): Promise<boolean> {
    return extendInboxLease(this.db, this.table, lease, leaseMs);
  }

  release(lease: InboxLease): Promise<void> {
    return releaseInboxRecord(this.db, this.table, lease);
  }

  /**
   * Deletes up to `batchSize` expired records, oldest first: from the default partition of a
   * partitioned inbox (ids that are not uuid v7, days without their own partition; the others go with
   * their partition, see {@link rotate}), or from the whole table of an inbox not migrated yet.
   * @throws InvalidOptionError unless `batchSize` is a positive integer.
   */
  async purgeExpired(batchSize = 1000): Promise<number> {
    checkInteger('batchSize', batchSize, { min: 1 });
    const { kind } = await readInboxLayout(this.db, this.table);
    const from = kind === 'partitioned' ? inboxPartitionNames(this.location).defaultPartition : this.table;
    return purgeExpiredInboxRecords(this.db, from, batchSize);
  }

  /**
   * Rotates the partitions of a partitioned inbox (inboxTableDdl): a partition for today and the next
   * days, TRUNCATE then DROP of each past day once all its records expired, TRUNCATE of the default
   * partition once all of its expired. No DELETE, so no dead tuples. Each step is a short transaction of
   * its own with a lock timeout; one that times out waits for the next run. Does nothing to an inbox that
   * is not partitioned. `InboxRetention` (and the sidecar) call it at every run.
   */
  rotate(options?: RotateInboxOptions): Promise<InboxRotation> {
    return rotateInboxPartitions(this.db, this.location, options);
  }
}
