import { InboxRetention } from '@tx-outbox/outbox-core';
import { PostgresInboxStore, type PgQueryable } from '@tx-outbox/outbox-typeorm/postgres';
import type { RelayCliConfig } from './configSpec.js';
import type { Logger } from './logger.js';
import type { InboxRetentionMetrics } from './SidecarMetrics.js';

/** SQLSTATE undefined_table. */
const UNDEFINED_TABLE = '42P01';

/**
 * Inbox retention every `inboxRetentionIntervalMs`: rotates the day partitions of the inbox (creates
 * the coming days', TRUNCATEs and drops the past days' whose records all expired; counted in
 * `outbox_inbox_partitions_truncated_total`), then deletes the expired records left in the default
 * partition (ids that are not uuid v7), counting them in `outbox_inbox_purged_total`. An inbox not
 * migrated to partitions yet is purged with DELETE as before. A database without the inbox table (a
 * service that only produces) turns it off with one log line instead of a warning every interval.
 */
export function startInboxRetention(
  pool: PgQueryable,
  config: Pick<RelayCliConfig, 'inboxTable' | 'schema' | 'inboxRetentionIntervalMs'>,
  metrics: InboxRetentionMetrics,
  logger: Logger,
): { stop(): Promise<void> } {
  if (config.inboxRetentionIntervalMs === 0) return { stop: async () => {} };
  const retention: InboxRetention = new InboxRetention(new PostgresInboxStore({ pool, tableName: config.inboxTable, schema: config.schema }), {
    intervalMs: config.inboxRetentionIntervalMs,
    onPurged: (count) => {
      metrics.inboxPurged(count);
      if (count > 0) logger.info('inbox retention deleted expired records', { deleted: count });
    },
    onRotated: ({ created, truncated, dropped, deferred }) => {
      metrics.inboxPartitionsTruncated(truncated.length);
      if (created.length > 0) logger.info('inbox retention created partitions ahead', { partitions: created });
      for (const { partition, estimatedRecords } of truncated) logger.info('inbox retention truncated an expired partition', { partition, estimatedRecords });
      if (dropped.length > 0) logger.info('inbox retention dropped empty partitions', { partitions: dropped });
      if (deferred.length > 0) logger.debug('inbox retention left steps for its next run', { steps: deferred });
    },
    onError: (error) => {
      if ((error as { code?: string })?.code === UNDEFINED_TABLE) {
        logger.info('no inbox table; inbox retention is off', { table: config.inboxTable });
        void retention.stop();
        return;
      }
      metrics.inboxRetentionFailed();
      logger.warn('inbox retention failed; will retry', { error });
    },
  });
  retention.start();
  return retention;
}
